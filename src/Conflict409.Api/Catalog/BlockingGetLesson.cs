using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Catalog;

/// <summary>Lesson 4 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class BlockingGetLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "blocking-get",
        "Lesson 4: 409 on GET to block scrapers (non-standard)",
        "Servers that answer 409 to block clients, such as scrapers.",
        "NON-STANDARD — a quirk of some servers, shown so you can recognise it. GET /catalog/products is rate " +
        "limited per client by ASP.NET Core's rate limiter. Over the limit this server answers 409 with " +
        "Retry-After by default, as the article saw when scraping; set Catalog:RateLimit:RejectionStatusCode " +
        "to 429 for the correct behaviour. A GET cannot conflict with anything, so a 409 on GET with Retry-After " +
        "and a blocking problem type means \"slow down\", not \"resolve a conflict\". The scraper's other 409, " +
        "a session whose view went stale, is lesson 7.",
        [
            "GET /catalog/products?page=1 (repeat past Catalog:RateLimit:PermitLimit) → 409 blocked-by-rate-limit, Retry-After",
            "after waiting the Retry-After seconds: GET /catalog/products?page=1 → 200 (recovered)",
            "with Catalog:RateLimit:RejectionStatusCode=429 → 429 too-many-requests, Retry-After",
        ],
        "Honour Retry-After, slow down, and spread requests out; do not treat it as a data conflict.",
        [CatalogProblemTypes.BlockedByRateLimit.Uri, ProblemTypes.TooManyRequests.Uri],
        "Non-standard for 409; the correct status is 429 (RFC 6585 §4) with Retry-After (RFC 9110 §10.2.3).",
        [nameof(CatalogEndpoints.ListProducts)],
        Recipes: Recipe.For("Catalog", "lesson4"));

    public Lesson Lesson => Entry;

    public IReadOnlyList<ProblemType> DefinedProblemTypes { get; } =
        [CatalogProblemTypes.BlockedByRateLimit];

    public ILessonJudge? Judge { get; } = new BlockingGetJudge();

    public void AddServices(IServiceCollection services) => services.AddCatalogRateLimit();

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapCatalogEndpoints();
    }
}
