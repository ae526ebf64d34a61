using System.Globalization;
using Conflict409.Api.Catalog;

namespace Conflict409.Api.Shop;

/// <param name="Revision">Goes up by one with every change to the cart.</param>
/// <param name="Items">How many items the cart holds.</param>
/// <param name="Total">What they cost together.</param>
public sealed record CartState(int Revision, int Items, decimal Total);

/// <summary>A cart as the session keeps it: product ids and a revision that every change increments.</summary>
public sealed record Cart(IReadOnlyList<int> ProductIds, int Revision)
{
    /// <summary>A new session's cart holds one widget, so that there is something to check out.</summary>
    public static Cart Starter { get; } = new([1], 1);

    public IReadOnlyList<Product> Products => [.. ProductIds.Select(CatalogEndpoints.Product)];

    public CartState State => new(Revision, ProductIds.Count, Products.Sum(product => product.Price));

    public Cart With(int productId) => new([.. ProductIds, productId], Revision + 1);
}

/// <summary>
/// What lesson 7 keeps in the client's session (ASP.NET Core's, behind its HttpOnly cookie): the cart, and the cart
/// as the session last showed it on the page — the view that a checkout confirms.
/// </summary>
public static class CartSession
{
    private const string CartKey = "cart";
    private const string SeenKey = "seen";

    public static Cart? GetCart(this ISession session) => Read(session.GetString(CartKey));

    public static void SetCart(this ISession session, Cart cart) => session.SetString(CartKey, Write(cart));

    public static Cart? GetSeenCart(this ISession session) => Read(session.GetString(SeenKey));

    public static void SetSeenCart(this ISession session, Cart cart) => session.SetString(SeenKey, Write(cart));

    // "revision:id,id,...": a few bytes per item, read back only from the server's own session store.
    private static string Write(Cart cart) =>
        $"{cart.Revision.ToString(CultureInfo.InvariantCulture)}:{string.Join(',', cart.ProductIds)}";

    private static Cart? Read(string? value)
    {
        if (value?.Split(':') is not [var revision, var ids])
        {
            return null;
        }

        return new Cart(
            [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture))],
            int.Parse(revision, CultureInfo.InvariantCulture));
    }
}
