using Conflict409.Api.Problems;

namespace Conflict409.Api.Catalog;

/// <summary>
/// The problem types of lesson 4 (blocking GET), which only this folder's endpoints send. The lesson's module declares them
/// (<see cref="Lessons.ILessonModule.DefinedProblemTypes"/>), which is how they are listed at <c>GET /problems</c>.
/// </summary>
public static class CatalogProblemTypes
{
    public static readonly ProblemType BlockedByRateLimit = new(
        "blocked-by-rate-limit",
        StatusCodes.Status409Conflict,
        "Request blocked: too many requests from this client.",
        "NON-STANDARD. Some servers answer 409 to GET requests to block clients that request too fast, such as " +
        "scrapers. Nothing conflicts with the resource's state: the correct status is 429 Too Many Requests. " +
        "A scraper tells a blocking 409 from a real conflict by the method (a GET changes nothing, so it " +
        "cannot conflict), the Retry-After header, and this problem type. Slow down and retry after " +
        "Retry-After seconds.");
}
