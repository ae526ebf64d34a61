using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Catalog;

public sealed record Product(int Id, string Name, decimal Price);

public sealed record ProductPage(int Page, int PageSize, int TotalPages, IReadOnlyList<Product> Items);

/// <summary>Lesson 4: a read-only catalogue to scrape, behind a per-client rate limit.</summary>
public static partial class CatalogEndpoints
{
    public const int PageSize = 10;
    public const int ProductCount = 50;

    private static readonly Product[] Products =
        [.. Enumerable.Range(1, ProductCount).Select(id => new Product(id, $"Teaching widget #{id}", 1.5m * id))];

    /// <summary>The product with this id (1 to <see cref="ProductCount"/>), as the shop of lesson 7 sells it.</summary>
    public static Product Product(int id) => Products[id - 1];

    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/catalog/products", ListProducts)
            .WithName(nameof(ListProducts))
            .WithSummary("A page of products, rate limited per client: over the limit 409 (non-standard) or 429")
            .WithDescription(ListProductsDescription)
            .RequireRateLimiting(CatalogRateLimit.PolicyName)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return app;
    }

    public static Ok<ProductPage> ListProducts([Range(1, 1_000)] int page = 1)
    {
        var totalPages = (Products.Length + PageSize - 1) / PageSize;
        return TypedResults.Ok(new ProductPage(page, PageSize, totalPages, [.. Products.Skip((page - 1) * PageSize).Take(PageSize)]));
    }
}
