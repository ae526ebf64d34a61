using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Problems;

/// <summary>
/// A problem type of RFC 9457: a stable identifier (<see cref="Uri"/>), a fixed <see cref="Title"/> and status, and
/// the explanation this server serves at <see cref="Page"/> so a learner can follow the link. Every problem the
/// server sends is written through one of these: <see cref="Result"/> from a handler, <see cref="WriteAsync"/>
/// from middleware.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title, string Explanation)
{
    /// <summary>The <c>type</c> member: the explanation page, or for the framework's own problems the RFC section it links.</summary>
    public string Uri { get; init; } = $"/problems/{Slug}";

    /// <summary>Where this server explains the problem type.</summary>
    public string Page => $"/problems/{Slug}";

    /// <summary>A problem+json result of this type; the specifics go in the detail and extension members.</summary>
    public ProblemHttpResult Result(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: Status, title: Title, type: Uri, detail: detail, extensions: extensions);

    /// <summary>
    /// Writes a problem of this type outside an endpoint (middleware, limiter, exception handler) through the same
    /// problem-details service the handlers' results use, so it gets the same <c>instance</c> and <c>traceId</c>.
    /// </summary>
    /// <returns>False when the client accepts no JSON: the status is set, the body left empty.</returns>
    public ValueTask<bool> WriteAsync(HttpContext context, string detail, IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = Status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Type = Uri, Title = Title, Status = Status, Detail = detail },
        };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.ProblemDetails.Extensions[name] = value;
        }

        return context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(problem);
    }
}

/// <summary>
/// The problem types no one lesson owns: those several lessons send (store-full, too-many-requests), the platform's
/// (fairness, the database, the board's learner names) and the framework's own. A lesson's own types are defined in
/// its folder and declared by its module (<see cref="Lessons.ILessonModule.DefinedProblemTypes"/>);
/// <see cref="ProblemCatalog"/> lists both. Adding a shared one is one entry here (it adds itself to
/// <see cref="Shared"/>).
/// </summary>
public static class ProblemTypes
{
    // First: static fields initialise in the order they are written, and each entry below adds itself here.
    private static readonly List<ProblemType> Types = [];

    public static readonly ProblemType StoreFull = Add(new(
        "store-full",
        StatusCodes.Status507InsufficientStorage,
        "The server cannot store more of these.",
        "The store holds as many entries as it is configured to, so nothing was written: users (Users:Capacity), " +
        "teams (Users:TeamCapacity), a client's naive name list in the race lab (RaceLab:NaiveCapacity), the race lab's clients " +
        "(RaceLab:NaiveClients) or the items of one " +
        "cart; the detail says which. A teaching server is bounded on purpose: reads keep working, and deleting " +
        "entries (or checking the cart out) makes room. 507 Insufficient Storage (RFC 4918 §11.5) says the request " +
        "may succeed later."));

    public static readonly ProblemType TooManyRequests = Add(new(
        "too-many-requests",
        StatusCodes.Status429TooManyRequests,
        "Too many requests from this client.",
        "The client sent more requests than the rate limit allows (RFC 6585 §4). Retry after Retry-After seconds."));

    public static readonly ProblemType TooManyConnections = Add(new(
        "too-many-connections",
        StatusCodes.Status503ServiceUnavailable,
        "Too many connections from this client.",
        "Each client may hold Fairness:ConnectionsPerClient connections open at once (32 by default), so that no " +
        "one client can take the whole server. This request came on a connection beyond that: it was not served, " +
        "and the server closes the connection after this answer. Send requests over the connections the client " +
        "already holds (an HTTP client with a connection limit queues them), or retry after Retry-After seconds."));

    public static readonly ProblemType DatabaseUnavailable = Add(new(
        "database-unavailable",
        StatusCodes.Status503ServiceUnavailable,
        "The database is unavailable.",
        "With Store=PostgreSql every decision is the database's, and the server cannot reach it right now (it is " +
        "down, starting, or unreachable). Nothing was written. This is the server's temporary problem, not a " +
        "conflict and not the client's fault: retry after Retry-After seconds; /healthz says when it is back."));

    public static readonly ProblemType InvalidLearner = Add(new(
        "invalid-learner",
        StatusCodes.Status400BadRequest,
        "The Learner header is malformed.",
        "The optional Learner header names whose progress board a request counts towards (GET /progress.html). " +
        $"Send one name of {Progress.Learner.NameRule} Leave the header out and the server knows you by your " +
        $"address instead. A lesson's request is never refused for it: it is served and graded under your address, " +
        $"and its response says {Progress.Learner.IgnoredHeaderName}: invalid-learner. Only the board's own " +
        "endpoints (/progress) answer this 400."));

    public static readonly ProblemType LearnerNameTaken = Add(new(
        "learner-name-taken",
        StatusCodes.Status409Conflict,
        "This learner name belongs to another address.",
        "A Learner name belongs to the client address that first used it, for as long as its board lives " +
        "(Progress:LearnerLifetime after its last request), so nobody else's requests or DELETE /progress land on " +
        "your board. Another address sent this name first: it is lesson 0's conflict, with lesson 0's recovery. " +
        "Sending the same name again gets the same answer; choose another name and send that instead. A lesson's " +
        $"request is never refused for it: it is served and graded under your address, and its response says " +
        $"{Progress.Learner.IgnoredHeaderName}: learner-name-taken. The board's own endpoints (/progress) answer this " +
        "409, as does DELETE /progress?learner= naming a board that another address owns."));

    public static readonly ProblemType TooManyLearnerNames = Add(new(
        "too-many-learner-names",
        StatusCodes.Status429TooManyRequests,
        "This address holds too many learner names.",
        "One address may hold Progress:MaxLearnersPerAddress learner names at once, so that a class behind one " +
        "router each gets a board (and a share of the per-client limits) while one client minting a new name per " +
        "request cannot crowd out everyone else's boards. This name was not taken: another learner at your address " +
        "may go on with one of the names it holds, and a name is free again Progress:LearnerLifetime after its " +
        $"last request. A lesson's request is never refused for it: it is served and graded under your address, and " +
        $"its response says {Progress.Learner.IgnoredHeaderName}: too-many-learner-names. The board's own endpoints " +
        "(/progress) answer this 429."));

    // The framework's own problems keep the RFC 9110 section ASP.NET Core links as their type; this server
    // explains them too, at their page, so that every type a client meets is listed here.

    public static readonly ProblemType BadRequest = Add(new(
        "bad-request",
        StatusCodes.Status400BadRequest,
        "Bad Request",
        "The request itself is wrong: the body is not JSON or not the endpoint's JSON object, or names a key twice " +
        "({\"username\":\"a\",\"username\":\"b\"} could mean either, so it means neither); or a value is of the wrong form " +
        "(a member's JSON type, or a query, route or header value such as ?page=abc) or breaks an input rule (then the " +
        "title is \"One or more validation errors occurred.\" and errors lists each member's or parameter's problems, " +
        "e.g. the username rules). The detail says which. Fix the request; sending it unchanged cannot succeed. " +
        "Contrast 409: a well-formed request that conflicts with the server's state.")
    {
        Uri = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    });

    public static readonly ProblemType NotFound = Add(new(
        "not-found",
        StatusCodes.Status404NotFound,
        "Not Found",
        "Nothing is at this path: no route matches, or no lesson or problem type has this name. GET /lessons and " +
        "GET /problems list what exists; Swagger UI at /swagger lists every endpoint.")
    {
        Uri = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    });

    public static readonly ProblemType MethodNotAllowed = Add(new(
        "method-not-allowed",
        StatusCodes.Status405MethodNotAllowed,
        "Method Not Allowed",
        "The path exists but does not answer this method; the Allow header lists the ones it does.")
    {
        Uri = "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    });

    public static readonly ProblemType PayloadTooLarge = Add(new(
        "content-too-large",
        StatusCodes.Status413PayloadTooLarge,
        "Content Too Large",
        "The request body is larger than this server accepts (Kestrel:Limits:MaxRequestBodySize, 4 KiB by default); " +
        "it was not read. The requests of this API are a few short fields.")
    {
        Uri = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
    });

    public static readonly ProblemType UnsupportedMediaType = Add(new(
        "unsupported-media-type",
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported Media Type",
        "Request bodies are JSON: send Content-Type: application/json, in UTF-8 (RFC 8259 §8.1); a charset other " +
        "than utf-8 is refused too.")
    {
        Uri = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
    });

    public static readonly ProblemType InternalServerError = Add(new(
        "internal-server-error",
        StatusCodes.Status500InternalServerError,
        "An error occurred while processing your request.",
        "The server failed in a way it did not expect: a bug, not something the client did. The traceId member " +
        "finds the failure in the server's log; no stack trace is ever sent.")
    {
        Uri = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    });

    public static readonly ProblemType ServiceUnavailable = Add(new(
        "service-unavailable",
        StatusCodes.Status503ServiceUnavailable,
        "Service Unavailable",
        "The request ran longer than the server allows (RequestTimeout, 10 s by default) and was cut off. Retry later.")
    {
        Uri = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
    });

    /// <summary>The shared problem types, in the order of the entries above.</summary>
    public static IReadOnlyList<ProblemType> Shared => Types;

    private static ProblemType Add(ProblemType type)
    {
        Types.Add(type);
        return type;
    }
}
