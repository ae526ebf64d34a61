using Conflict409.Api.Problems;

namespace Conflict409.Api.Shop;

/// <summary>
/// The problem types of lesson 7 (stale session), which only this folder's endpoints send. The lesson's module declares them
/// (<see cref="Lessons.ILessonModule.DefinedProblemTypes"/>), which is how they are listed at <c>GET /problems</c>.
/// </summary>
public static class ShopProblemTypes
{
    public static readonly ProblemType StaleSession = new(
        "stale-session",
        StatusCodes.Status409Conflict,
        "The session's view of the cart is stale.",
        "A checkout confirms the cart that this session last showed (GET /shop/cart). Since then the cart changed — " +
        "another tab, or another request of a scraper sharing the session — so placing the order could buy what you " +
        "never saw. The session and its form token are genuine; the state moved on, which is a 409 Conflict. The " +
        "problem names the cart the session saw (expected) and the current one (current). Retrying unchanged gets " +
        "the same 409: re-read the page (GET /shop/cart refreshes the session's view), check it, then submit again.");

    public static readonly ProblemType SessionRequired = new(
        "session-required",
        StatusCodes.Status400BadRequest,
        "This step needs a live session.",
        "The request carried no session cookie, or one that names no live session: it expired after " +
        "Shop:SessionIdleTimeout, was evicted because the server holds Shop:SessionStoreBytes of sessions at most, " +
        "was forged, or its order was placed. Not a 409: there is no state to conflict with. Start with " +
        "GET /shop/cart, keep the cookies it sets (curl -c jar -b jar, an HttpClient with a CookieContainer) and send them back.");

    public static readonly ProblemType FormTokenInvalid = new(
        "form-token-invalid",
        StatusCodes.Status403Forbidden,
        "The form token is missing or invalid.",
        "Every change in the shop must carry the form token from the page (header X-Form-Token, or form field " +
        "formToken) together with the antiforgery cookie that came with it (ASP.NET Core antiforgery). Without a " +
        "matching pair the server cannot tell that the request comes from a page it served — the defence against " +
        "cross-site request forgery — so it refuses with 403. Not a 409: the state is fine, the request is not " +
        "trusted. GET /shop/cart gives a fresh token.");
}
