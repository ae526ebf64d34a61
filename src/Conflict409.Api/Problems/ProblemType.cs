using Conflict409.Api.Idempotency;
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
/// Every problem type the server sends, each listed at <c>GET /problems</c> and explained at <c>/problems/{slug}</c>.
/// Adding one is one entry here (it adds itself to <see cref="All"/>); the test host fails any test whose
/// server sent a <c>type</c> that is not here.
/// </summary>
public static class ProblemTypes
{
    // First: static fields initialise in the order they are written, and each entry below adds itself here.
    private static readonly List<ProblemType> Types = [];

    public static readonly ProblemType UsernameTaken = Add(new(
        "username-taken",
        StatusCodes.Status409Conflict,
        "Username already exists.",
        "POST /register answers 409 Conflict when the username belongs to an existing account. " +
        "Usernames are compared after Unicode compatibility normalisation and case folding, so 'John_Doe' " +
        "and the full-width 'ｊｏｈｎ＿ｄｏｅ' collide with 'john_doe'. The request was well-formed (that would " +
        "be 400) and the server understood it (not 422): it conflicts with the current state of the server. " +
        "Retrying the same request cannot succeed; a client recovers by choosing another username."));

    public static readonly ProblemType UsernameLookAlike = Add(new(
        "username-look-alike",
        StatusCodes.Status409Conflict,
        "Username looks like an existing one.",
        "The username is new, but it looks the same as an existing account's: their confusable skeletons (Unicode " +
        "UTS #39, from Unicode's confusables.txt) are equal, as for the Cyrillic 'ѕсоре' beside 'scope' or " +
        "'jane_smıth' (dotless ı) beside 'jane_smith'. Accepting it would let one user impersonate another, so the " +
        "request conflicts with the current state of the server: 409, naming the look-alike in existingUsername. " +
        "Retrying cannot succeed; choose a name that looks different."));

    public static readonly ProblemType UserNotFound = Add(new(
        "user-not-found",
        StatusCodes.Status404NotFound,
        "User not found.",
        "No account has this username (after the same normalisation /register uses). " +
        "Register it with POST /register, or check the spelling with GET /users."));

    public static readonly ProblemType VersionMismatch = Add(new(
        "version-mismatch",
        StatusCodes.Status409Conflict,
        "The resource changed since you read it.",
        "The body said which version it was based on, and that version is no longer current: someone else " +
        "updated the resource in between (a concurrent update). Applying your change would silently undo " +
        "theirs — a lost update — so the server refuses with 409, as Kubernetes does for a stale " +
        "metadata.resourceVersion and CouchDB for a stale _rev. Recover by GETting the resource again, " +
        "re-applying your change to the fresh copy, and sending it with the new version (currentVersion)."));

    public static readonly ProblemType PreconditionFailed = Add(new(
        "precondition-failed",
        StatusCodes.Status412PreconditionFailed,
        "A precondition in the request headers did not hold.",
        "A conditional request (RFC 9110 §13) failed: If-Match named an entity tag that is no longer current, or " +
        "If-None-Match: * asked to create something that already exists. It is the same conflict as a 409, " +
        "expressed through HTTP's own precondition headers, which is why RFC 9110 answers 412 here " +
        "(CouchDB answers 409 for the same situation). Recover by GETting the resource for its current ETag, " +
        "re-applying your change, and retrying with If-Match set to that ETag."));

    public static readonly ProblemType PreconditionRequired = Add(new(
        "precondition-required",
        StatusCodes.Status428PreconditionRequired,
        "This request must be conditional.",
        "The server refuses unconditional updates so that no client overwrites a change it never saw " +
        "(RFC 6585 §3). Send If-Match with the ETag from GET, or the version you read in the body; to create " +
        "a user with PUT, send If-None-Match: *."));

    public static readonly ProblemType UserReferenced = Add(new(
        "user-referenced",
        StatusCodes.Status409Conflict,
        "The user is still referenced.",
        "Deleting this user would leave teams pointing at an account that no longer exists, so the server " +
        "refuses with 409: the request conflicts with the state of other resources. The problem lists the " +
        "blocking resources (blockedBy); remove the user from them, or delete them, then retry the delete."));

    public static readonly ProblemType TeamNameTaken = Add(new(
        "team-name-taken",
        StatusCodes.Status409Conflict,
        "Team name already exists.",
        "Team names are unique, compared like usernames. Choose another name, or GET the existing team."));

    public static readonly ProblemType UnknownTeamMembers = Add(new(
        "unknown-team-members",
        StatusCodes.Status422UnprocessableEntity,
        "The team names users that do not exist.",
        "The request is well-formed JSON (so not 400) and conflicts with no existing team (so not 409), but " +
        "it refers to users that do not exist, so it cannot be processed: 422 Unprocessable Content. " +
        "Register the users listed in unknownUsers first, or leave them out."));

    public static readonly ProblemType TeamNotFound = Add(new(
        "team-not-found",
        StatusCodes.Status404NotFound,
        "Team not found.",
        "No team has this name. POST /teams creates one."));

    public static readonly ProblemType IdempotencyKeyInUse = Add(new(
        "idempotency-key-in-use",
        StatusCodes.Status409Conflict,
        "A request with this Idempotency-Key is still being processed.",
        "The IETF Idempotency-Key draft answers 409 when a retry arrives while the first request with the same " +
        "key is still in flight: running both could do the work twice. Wait (Retry-After) and retry with the " +
        "same key and payload; once the first request completes, the retry gets its response replayed."));

    public static readonly ProblemType IdempotencyKeyReused = Add(new(
        "idempotency-key-reused",
        StatusCodes.Status422UnprocessableEntity,
        "This Idempotency-Key was used with a different payload.",
        "An Idempotency-Key identifies one operation. Reusing it with another payload is a client bug, which " +
        "the IETF draft answers with 422. Generate a fresh key for every new operation."));

    public static readonly ProblemType InvalidIdempotencyKey = Add(new(
        "invalid-idempotency-key",
        StatusCodes.Status400BadRequest,
        "The Idempotency-Key header is malformed.",
        IdempotencyRules.KeyFormat));

    public static readonly ProblemType IdempotencyStoreFull = Add(new(
        "idempotency-store-full",
        StatusCodes.Status503ServiceUnavailable,
        "Too many idempotency keys are held.",
        "The server keeps a bounded number of idempotency keys until they expire. It is full, so it cannot " +
        "promise exactly-once processing right now. Retry after Retry-After seconds."));

    public static readonly ProblemType IdempotencyQuotaExceeded = Add(new(
        "idempotency-quota-exceeded",
        StatusCodes.Status429TooManyRequests,
        "This client holds too many idempotency keys.",
        "Idempotency keys are scoped per client (the IETF draft makes a key unique per client), and each client " +
        "may hold a bounded number of live keys (Idempotency:PerClientCapacity) so that one client minting a " +
        "fresh key for every request cannot crowd out everyone else. Only this client is refused; retry after " +
        "Retry-After seconds, when its oldest key expires, and use a new key per operation, not per request."));

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

    public static readonly ProblemType BlockedByRateLimit = Add(new(
        "blocked-by-rate-limit",
        StatusCodes.Status409Conflict,
        "Request blocked: too many requests from this client.",
        "NON-STANDARD. Some servers answer 409 to GET requests to block clients that request too fast, such as " +
        "scrapers. Nothing conflicts with the resource's state: the correct status is 429 Too Many Requests. " +
        "A scraper tells a blocking 409 from a real conflict by the method (a GET changes nothing, so it " +
        "cannot conflict), the Retry-After header, and this problem type. Slow down and retry after " +
        "Retry-After seconds."));

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

    public static readonly ProblemType StaleSession = Add(new(
        "stale-session",
        StatusCodes.Status409Conflict,
        "The session's view of the cart is stale.",
        "A checkout confirms the cart that this session last showed (GET /shop/cart). Since then the cart changed — " +
        "another tab, or another request of a scraper sharing the session — so placing the order could buy what you " +
        "never saw. The session and its form token are genuine; the state moved on, which is a 409 Conflict. The " +
        "problem names the cart the session saw (expected) and the current one (current). Retrying unchanged gets " +
        "the same 409: re-read the page (GET /shop/cart refreshes the session's view), check it, then submit again."));

    public static readonly ProblemType SessionRequired = Add(new(
        "session-required",
        StatusCodes.Status400BadRequest,
        "This step needs a live session.",
        "The request carried no session cookie, or one that names no live session: it expired after " +
        "Shop:SessionIdleTimeout, was evicted because the server holds Shop:SessionStoreBytes of sessions at most, " +
        "was forged, or its order was placed. Not a 409: there is no state to conflict with. Start with " +
        "GET /shop/cart, keep the cookies it sets (curl -c jar -b jar, an HttpClient with a CookieContainer) and send them back."));

    public static readonly ProblemType FormTokenInvalid = Add(new(
        "form-token-invalid",
        StatusCodes.Status403Forbidden,
        "The form token is missing or invalid.",
        "Every change in the shop must carry the form token from the page (header X-Form-Token, or form field " +
        "formToken) together with the antiforgery cookie that came with it (ASP.NET Core antiforgery). Without a " +
        "matching pair the server cannot tell that the request comes from a page it served — the defence against " +
        "cross-site request forgery — so it refuses with 403. Not a 409: the state is fine, the request is not " +
        "trusted. GET /shop/cart gives a fresh token."));

    public static readonly ProblemType InvalidIfMatch = Add(new(
        "invalid-if-match",
        StatusCodes.Status400BadRequest,
        "The If-Match header is malformed.",
        "If-Match (RFC 9110 §13.1.1) is either * or a comma-separated list of quoted entity tags, such as " +
        "If-Match: \"2\" with the quotes, exactly as GET returned it in ETag. The header could not be read, so no " +
        "precondition was judged and nothing changed. Send the ETag unaltered, or the version in the body instead."));

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

    /// <summary>Every problem type, in the order of the entries above.</summary>
    public static IReadOnlyList<ProblemType> All => Types;

    public static ProblemType? FindBySlug(string slug) =>
        All.FirstOrDefault(type => string.Equals(type.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public static ProblemType? FindByUri(string? uri) =>
        All.FirstOrDefault(type => string.Equals(type.Uri, uri, StringComparison.Ordinal));

    private static ProblemType Add(ProblemType type)
    {
        Types.Add(type);
        return type;
    }
}
