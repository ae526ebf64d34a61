using System.ComponentModel.DataAnnotations;
using Conflict409.Api.Catalog;

namespace Conflict409.Api.Shop;

/// <param name="Items">What the cart holds.</param>
/// <param name="Total">What it costs.</param>
/// <param name="Revision">The cart's revision: the checkout confirms this one, until the page is read again.</param>
/// <param name="FormToken">Send it back with every change, as the header X-Form-Token or the form field formToken.</param>
public sealed record CartPage(IReadOnlyList<Product> Items, decimal Total, int Revision, string FormToken);

/// <param name="ProductId">A product of the catalogue, 1 to 50.</param>
public sealed record AddCartItemRequest([property: Range(1, CatalogEndpoints.ProductCount)] int ProductId);

/// <param name="Added">The product put in the cart.</param>
/// <param name="Revision">The cart's new revision (the checkout still confirms the one the page last showed).</param>
public sealed record CartItemAdded(Product Added, int Revision);

/// <param name="OrderId">The order's identifier.</param>
/// <param name="Items">What was bought: exactly what the page last showed.</param>
/// <param name="Total">What it cost.</param>
public sealed record Order(string OrderId, IReadOnlyList<Product> Items, decimal Total);
