namespace Conflict409.Api.Catalog;

/// <summary>The OpenAPI prose of the catalogue endpoint.</summary>
public static partial class CatalogEndpoints
{
    private const string ListProductsDescription = """
        **Non-standard, shown on purpose.** Some servers answer **409** to GET requests to block clients that
        request too fast, such as scrapers. Nothing here can conflict — a GET changes no state — so the
        correct answer is **429 Too Many Requests**; set `Catalog:RateLimit:RejectionStatusCode` to 429 to
        see it. Either way the response carries `Retry-After` and a problem `type` that says "blocked".

        **How a scraper tells a blocking 409 from a real conflict:** the method (GET), the `Retry-After`
        header and the problem `type` (`/problems/blocked-by-rate-limit`). Recover by slowing down.
        """;
}
