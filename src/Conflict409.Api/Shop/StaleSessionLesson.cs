using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Shop;

/// <summary>Lesson 7 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class StaleSessionLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "stale-session",
        "Lesson 7: a stale session while scraping",
        "A persistent session whose view of the state went stale: the client submits what it saw, the state moved on.",
        "Scraped sites keep state in the client's session. GET /shop/cart is the page: the first read starts a " +
        "session (ASP.NET Core's session behind an HttpOnly, SameSite cookie; a new cart holds one widget), returns " +
        "a form token (ASP.NET Core antiforgery), and records in the session which cart the page showed. " +
        "POST /shop/cart/items stands for another tab or request changing the cart: the cart's revision goes up, the " +
        "session's view does not. POST /shop/checkout then answers 409 stale-session, naming the cart the session saw " +
        "(expected) and the current one. Re-reading the page refreshes the session's view, and the same checkout " +
        "succeeds. What is not a 409: no session cookie, or one naming no live session (expired, evicted, forged, or " +
        "its order placed), is 400 session-required — there is no state to conflict with; a missing or forged form " +
        "token is 403 form-token-invalid — the request cannot be tied to a page the server served. Sessions expire " +
        "(Shop:SessionIdleTimeout) and are bounded in total (Shop:SessionStoreBytes); a cart holds at most 10 items.",
        [
            "GET /shop/cart → 200, session and antiforgery cookies, formToken, revision 1",
            "POST /shop/cart/items X-Form-Token: … {\"productId\":2} → 201, revision 2 (another tab)",
            "POST /shop/checkout X-Form-Token: … → 409 stale-session, expected revision 1, current revision 2",
            "GET /shop/cart → 200, revision 2 (the session's view refreshed)",
            "POST /shop/checkout X-Form-Token: … → 200, the order",
            "POST /shop/checkout (without cookies) → 400 session-required",
            "GET /shop/cart → 200, a new cart for a new order",
            "POST /shop/checkout X-Form-Token: forged → 403 form-token-invalid",
        ],
        "Re-read the page (GET /shop/cart) with the same session, check what changed, then submit again; never " +
        "replay the stale submission. A 400 means start a session; a 403 means fetch a fresh form token.",
        [ShopProblemTypes.StaleSession.Uri, ShopProblemTypes.SessionRequired.Uri, ShopProblemTypes.FormTokenInvalid.Uri, ProblemTypes.StoreFull.Uri],
        "RFC 9110 §15.5.10 (409) and §15.5.4 (403); RFC 6265 cookies (HttpOnly, SameSite); OWASP CSRF prevention (synchronizer token).",
        [nameof(ShopEndpoints.ReadCart), nameof(ShopEndpoints.AddCartItem), nameof(ShopEndpoints.Checkout)],
        Recipes: Recipe.For("Shop", "lesson7"));

    public Lesson Lesson => Entry;

    public IReadOnlyList<ProblemType> DefinedProblemTypes { get; } =
        [ShopProblemTypes.StaleSession, ShopProblemTypes.SessionRequired, ShopProblemTypes.FormTokenInvalid];

    public ILessonJudge? Judge { get; } = new StaleSessionJudge();

    public void AddServices(IServiceCollection services) => services.AddShop();

    public void UseMiddleware(WebApplication app) => app.UseShopSessions();

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapShopEndpoints();
    }
}
