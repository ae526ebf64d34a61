namespace Conflict409.Api.Shop;

/// <summary>Lesson 7's longer OpenAPI prose, kept apart so the endpoint file reads as routing and handlers.</summary>
public static class ShopDescriptions
{
    public const string ReadCart = """
        The page a browser (or a scraper) reads before it checks out. The first read starts a **session**: an HttpOnly,
        SameSite cookie `.Conflict409.Session` that names the cart kept on the server (a new cart holds one widget),
        plus the antiforgery cookie and, in the body, the `formToken` every change must send back (`X-Form-Token`).
        Reading the page also records, in the session, *which cart it showed*: the checkout confirms that one.
        Read it again after a 409 `stale-session` to refresh the session's view.
        """;

    public const string AddCartItem = """
        Stands for **another tab** (or another request of a scraper sharing the session) changing the cart: the cart's
        `revision` goes up, but the page this session last showed does not change, so a checkout now is stale (**409**).
        Needs the session (**400** `session-required` without one) and the form token (**403** `form-token-invalid`).
        A cart holds at most 10 items (**507**).
        """;

    public const string Checkout = """
        Places the order for the cart the page last showed. If the cart changed since (another tab added an item),
        the session's view is stale: **409** [`stale-session`](/problems/stale-session), naming the revision the
        session saw (`expected`) and the current one (`current`). **Recovery:** `GET /shop/cart` (which refreshes the
        session's view), look at it, then submit again → **200** and the order; the session's cart starts over.

        Not a 409: no session cookie, or one naming no live session (expired, evicted, forged, or its order placed) is
        **400** [`session-required`](/problems/session-required) — there is no state to conflict with; a missing or
        forged form token is **403** [`form-token-invalid`](/problems/form-token-invalid) — the request cannot be tied
        to a page this server served.
        """;
}
