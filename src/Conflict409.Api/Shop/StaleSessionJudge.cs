using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Shop;

/// <summary>
/// Lesson 7 on the board: after stale-session, GET /shop/cart then a checkout that succeeds recovers; re-submitting
/// without the GET is a mistake. Adding an item is watched (a board event) but not judged.
/// </summary>
public sealed class StaleSessionJudge : LessonJudge<StaleSessionJudge.State>
{
    public static readonly Mistake CheckoutWithoutRefresh = new(
        "checkout-without-refresh", StaleSessionLesson.Entry,
        "Re-submitted the checkout without reloading the cart in between.",
        "The session still holds the old view, so the same checkout gets the same 409. GET /shop/cart to see " +
        "what changed (and refresh the session), then check out again.");

    public sealed class State
    {
        /// <summary>After a stale-session: whether the cart was read since; null when no checkout is pending.</summary>
        public bool? CheckoutRefreshed { get; set; }
    }

    public override Lesson Lesson => StaleSessionLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } =
        [nameof(ShopEndpoints.ReadCart), nameof(ShopEndpoints.AddCartItem), nameof(ShopEndpoints.Checkout)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [CheckoutWithoutRefresh];

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        if (endpoint == nameof(ShopEndpoints.ReadCart))
        {
            if (observation.Status == StatusCodes.Status200OK && state.CheckoutRefreshed == false)
            {
                state.CheckoutRefreshed = true;
            }
        }
        else if (endpoint == nameof(ShopEndpoints.Checkout))
        {
            JudgeCheckout(observation, state, verdicts);
        }
    }

    private static void JudgeCheckout(in Observation observation, State state, VerdictSink verdicts)
    {
        var stale = observation.Problem?.Type == ShopProblemTypes.StaleSession.Uri;
        if (state.CheckoutRefreshed == false && stale)
        {
            verdicts.Mistake(CheckoutWithoutRefresh);
        }

        if (stale)
        {
            verdicts.Conflict();
            state.CheckoutRefreshed = false;
        }
        else if (observation.Status == StatusCodes.Status200OK)
        {
            if (state.CheckoutRefreshed == true)
            {
                verdicts.Recovered();
            }

            state.CheckoutRefreshed = null;
        }
    }
}
