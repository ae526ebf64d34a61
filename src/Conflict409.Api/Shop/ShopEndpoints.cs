using System.Globalization;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Shop;

/// <summary>
/// Lesson 7: a cart and a checkout whose state lives in the client's session, as on the sites scrapers keep a
/// persistent session for. For the progress board: a client has "refreshed the session before re-submitting"
/// when, in one session, a POST /shop/checkout answered 409 stale-session, then a GET /shop/cart followed (it
/// updates what the session saw to the current cart), then a POST /shop/checkout answered 200.
/// Endpoint names (ReadCart, AddCartItem, Checkout) are stable.
/// </summary>
public static class ShopEndpoints
{
    public const string CartPath = "/shop/cart";
    public const string CheckoutPath = "/shop/checkout";

    public static IEndpointRouteBuilder MapShopEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(CartPath, ReadCart)
            .WithName(nameof(ReadCart))
            .WithSummary("The cart page: what the checkout will confirm, and the form token (starts a session)")
            .WithDescription(ShopDescriptions.ReadCart);

        app.MapPost(CartPath + "/items", AddCartItem)
            .WithName(nameof(AddCartItem))
            .WithSummary("Another tab adds an item: the cart changes, the page this session showed does not")
            .WithDescription(ShopDescriptions.AddCartItem)
            .Accepts<AddCartItemRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithRequestExample(new AddCartItemRequest(2))
            .WithProblemExample(SessionRequired(sessionCookieSent: false), CartPath + "/items")
            .WithProblemExample(FormTokenInvalid(), CartPath + "/items")
            .WithProblemExample(CartFull(), CartPath + "/items");

        app.MapPost(CheckoutPath, Checkout)
            .WithName(nameof(Checkout))
            .WithSummary("Place the order for the cart the page showed: 200, or 409 when the session's view is stale")
            .WithDescription(ShopDescriptions.Checkout)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(SessionRequired(sessionCookieSent: false), CheckoutPath)
            .WithProblemExample(FormTokenInvalid(), CheckoutPath)
            .WithProblemExample(StaleSession(Cart.Starter, Cart.Starter.With(2)), CheckoutPath);

        return app;
    }

    public static async Task<Ok<CartPage>> ReadCart(HttpContext context, IAntiforgery antiforgery)
    {
        var session = context.Session;
        await session.LoadAsync(context.RequestAborted);
        var cart = session.GetCart() ?? Cart.Starter;
        session.SetCart(cart);
        // Reading the page is what refreshes the session's view: the checkout confirms this cart from now on.
        session.SetSeenCart(cart);
        var tokens = antiforgery.GetAndStoreTokens(context);
        await SaveAsync(context);
        return TypedResults.Ok(new CartPage(cart.Products, cart.State.Total, cart.Revision, tokens.RequestToken!));
    }

    public static async Task<Results<Created<CartItemAdded>, ProblemHttpResult>> AddCartItem(
        AddCartItemRequest request, HttpContext context, IAntiforgery antiforgery)
    {
        if (await RefuseAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var cart = context.Session.GetCart()!;
        if (cart.ProductIds.Count >= ShopOptions.MaxCartItems)
        {
            return CartFull();
        }

        var changed = cart.With(request.ProductId);
        context.Session.SetCart(changed);
        await SaveAsync(context);
        return TypedResults.Created(CartPath, new CartItemAdded(Catalog.CatalogEndpoints.Product(request.ProductId), changed.Revision));
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> Checkout(HttpContext context, IAntiforgery antiforgery)
    {
        if (await RefuseAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var session = context.Session;
        var cart = session.GetCart()!;
        // ReadCart writes the cart and the seen cart together, so a session with a cart has both.
        var seen = session.GetSeenCart()!;
        if (seen.Revision != cart.Revision)
        {
            return StaleSession(seen, cart);
        }

        // The order closes the session's checkout: the next GET /shop/cart starts a new cart.
        session.Clear();
        await SaveAsync(context);
        return TypedResults.Ok(new Order($"order_{Guid.NewGuid():N}"[..14], cart.Products, cart.State.Total));
    }

    /// <summary>
    /// Saves the session before the answer is written: the session middleware would save it after, when a store that
    /// failed (a database out of reach) could only be logged, behind a 201 or an order already sent.
    /// </summary>
    private static Task SaveAsync(HttpContext context) => context.Session.CommitAsync(context.RequestAborted);

    /// <summary>
    /// The 4xx that come before any conflict: no live session (400: there is no state to conflict with), then a
    /// missing or forged form token (403: the request cannot be tied to a page this server served).
    /// </summary>
    private static async Task<ProblemHttpResult?> RefuseAsync(HttpContext context, IAntiforgery antiforgery)
    {
        await context.Session.LoadAsync(context.RequestAborted);
        if (context.Session.GetCart() is null)
        {
            return SessionRequired(context.Request.Cookies.ContainsKey(ShopSetup.SessionCookieName));
        }

        return await antiforgery.IsRequestValidAsync(context) ? null : FormTokenInvalid();
    }

    public static ProblemHttpResult StaleSession(Cart seen, Cart current) =>
        ShopProblemTypes.StaleSession.Result(
            string.Create(CultureInfo.InvariantCulture, $"This session last showed the cart at revision {seen.Revision} ({seen.ProductIds.Count} item(s), {seen.State.Total:0.00}); " +
            $"it is now at revision {current.Revision} ({current.ProductIds.Count} item(s), {current.State.Total:0.00}). ") +
            "GET /shop/cart to see what you would buy, then check out again.",
            new Dictionary<string, object?> { ["expected"] = seen.State, ["current"] = current.State });

    public static ProblemHttpResult SessionRequired(bool sessionCookieSent) =>
        ShopProblemTypes.SessionRequired.Result(sessionCookieSent
            ? "The session cookie names no live session: it expired, was evicted, was forged, or its order was placed. GET /shop/cart starts a new one."
            : "The request carries no session cookie. GET /shop/cart starts a session; send its cookies back (curl -c jar -b jar).");

    public static ProblemHttpResult FormTokenInvalid() =>
        ShopProblemTypes.FormTokenInvalid.Result(
            "The form token is missing, forged, or does not belong to this client's antiforgery cookie. " +
            "GET /shop/cart for a fresh one and send it as X-Form-Token.");

    public static ProblemHttpResult CartFull() =>
        ProblemTypes.StoreFull.Result($"A cart holds at most {ShopOptions.MaxCartItems} items. Check out first.");
}
