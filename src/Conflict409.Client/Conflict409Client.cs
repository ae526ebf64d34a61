using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Conflict409.Client;

/// <summary>
/// A typed client for the Conflict409 server. The plain calls return what the server answered; the
/// <c>...Recovering</c> calls show what a well-behaved client does with each kind of 409.
/// </summary>
public sealed class Conflict409Client(HttpClient http, TimeProvider? timeProvider = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Task<ApiResult<Registration>> RegisterAsync(string username, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "register") { Content = JsonContent.Create(new { username }, options: Json) };
        if (idempotencyKey is not null)
        {
            // The IETF draft's form: an RFC 8941 string, quoted.
            request.Headers.TryAddWithoutValidation("Idempotency-Key", $"\"{idempotencyKey}\"");
        }

        return SendAsync<Registration>(request, cancellationToken);
    }

    public Task<ApiResult<UserView>> GetUserAsync(string username, CancellationToken cancellationToken = default) =>
        SendAsync<UserView>(new HttpRequestMessage(HttpMethod.Get, UserPath(username)), cancellationToken);

    public Task<ApiResult<UserView>> UpdateProfileAsync(
        string username, ProfileEdit edit, string? ifMatch = null, long? version = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, UserPath(username) + "/profile")
        {
            Content = JsonContent.Create(new { edit.DisplayName, edit.Bio, version }, options: Json),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return SendAsync<UserView>(request, cancellationToken);
    }

    public Task<ApiResult<TeamView>> CreateTeamAsync(string name, string owner, IReadOnlyList<string> members, CancellationToken cancellationToken = default) =>
        SendAsync<TeamView>(new HttpRequestMessage(HttpMethod.Post, "teams") { Content = JsonContent.Create(new { name, owner, members }, options: Json) }, cancellationToken);

    public Task<ApiResult<object>> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync<object>(new HttpRequestMessage(HttpMethod.Delete, path.TrimStart('/')), cancellationToken);

    public Task<ApiResult<ProductPage>> GetProductsAsync(int page, CancellationToken cancellationToken = default) =>
        SendAsync<ProductPage>(new HttpRequestMessage(HttpMethod.Get, $"catalog/products?page={page}"), cancellationToken);

    /// <summary>
    /// Lesson 0: a taken username cannot be retried as it is. Try the next candidate name instead
    /// (a real client would ask its user; the candidates stand in for that).
    /// </summary>
    public async Task<ApiResult<Registration>> RegisterRecoveringAsync(
        string username, Func<string, int, string> nextCandidate, int maxAttempts = 5, CancellationToken cancellationToken = default)
    {
        var candidate = username;
        for (var attempt = 1; ; attempt++)
        {
            var result = await RegisterAsync(candidate, cancellationToken: cancellationToken);
            if (!result.IsProblem(ProblemTypes.UsernameTaken) || attempt == maxAttempts)
            {
                return result;
            }

            candidate = nextCandidate(username, attempt);
        }
    }

    /// <summary>
    /// Lesson 1: optimistic concurrency. Read the user, apply the change to what was read, send it with
    /// If-Match; on 412 (or a 409 version mismatch) someone else got in first: read again and re-apply.
    /// </summary>
    public async Task<ApiResult<UserView>> UpdateProfileRecoveringAsync(
        string username, Func<UserView, ProfileEdit> change, int maxAttempts = 10, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetUserAsync(username, cancellationToken);
            if (!current.IsSuccess)
            {
                return current;
            }

            var result = await UpdateProfileAsync(username, change(current.Value!), ifMatch: current.ETag, cancellationToken: cancellationToken);
            var lostTheRace = result.IsProblem(ProblemTypes.PreconditionFailed) || result.IsProblem(ProblemTypes.VersionMismatch);
            if (!lostTheRace || attempt == maxAttempts)
            {
                return result;
            }
        }
    }

    /// <summary>
    /// Lesson 3: retry with the same Idempotency-Key. A 409 means the first request is still running:
    /// wait as Retry-After says and send the very same request again; a completed one is replayed.
    /// </summary>
    public async Task<ApiResult<Registration>> RegisterIdempotentlyAsync(
        string username, string idempotencyKey, int maxAttempts = 5, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await RegisterAsync(username, idempotencyKey, cancellationToken);
            if (!result.IsProblem(ProblemTypes.IdempotencyKeyInUse) || attempt == maxAttempts)
            {
                return result;
            }

            await Task.Delay(result.RetryAfter ?? TimeSpan.FromSeconds(1), _time, cancellationToken);
        }
    }

    /// <summary>
    /// Lesson 4: a 409 on a GET with Retry-After is a server telling the client to slow down, not a
    /// conflict to resolve (429 says so properly). Wait as asked, then retry.
    /// </summary>
    /// <param name="retryAfter">The Retry-After of a block already received: nothing is sent before it has passed.</param>
    public async Task<ApiResult<ProductPage>> GetProductsHonouringRetryAfterAsync(
        int page, TimeSpan? retryAfter = null, int maxAttempts = 3, CancellationToken cancellationToken = default)
    {
        if (retryAfter is { } wait)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            var result = await GetProductsAsync(page, cancellationToken);
            var blocked = result.IsProblem(ProblemTypes.BlockedByRateLimit) || result.IsProblem(ProblemTypes.TooManyRequests);
            if (!blocked || attempt == maxAttempts)
            {
                return result;
            }

            await Task.Delay(result.RetryAfter ?? TimeSpan.FromSeconds(1), _time, cancellationToken);
        }
    }

    public Task<ApiResult<RacePlan>> PlanRaceAsync(int racers, int? thinkTimeMs = null, CancellationToken cancellationToken = default) =>
        SendAsync<RacePlan>(new HttpRequestMessage(HttpMethod.Post, "lab/races") { Content = JsonContent.Create(new { racers, thinkTimeMs }, options: Json) }, cancellationToken);

    /// <summary>
    /// Lesson 6: the same burst — every racer sent at once, one fresh name — at the deliberately naive endpoint and at
    /// /register, then what the server holds. Null when the server refused the plan (see <paramref name="refused"/>).
    /// At most <see cref="RacePlan.Connections"/> requests are in flight at once, one per connection the server lets
    /// this client hold: over HTTP/1.1 each in-flight request needs a connection, and one more would be refused. Those
    /// in flight together race; the rest follow as answers come back. Every racer is counted: a refused or closed
    /// connection is an answer without a status, never an exception.
    /// </summary>
    public async Task<RaceReport?> RaceAsync(
        int racers, int? thinkTimeMs = null, Action<ApiResult<RacePlan>>? refused = null, CancellationToken cancellationToken = default)
    {
        var planned = await PlanRaceAsync(racers, thinkTimeMs, cancellationToken);
        if (planned.Value is not { } plan)
        {
            refused?.Invoke(planned);
            return null;
        }

        using var connections = new SemaphoreSlim(plan.Connections > 0 ? plan.Connections : plan.Racers);

        async Task<RaceAnswer> RaceOnceAsync(string path)
        {
            await connections.WaitAsync(cancellationToken);
            try
            {
                var result = await SendAsync<object>(
                    new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = JsonContent.Create(new { plan.Username }, options: Json) },
                    cancellationToken);
                return new RaceAnswer(result.Status, result.Problem?.Title);
            }
            catch (HttpRequestException closed)
            {
                return new RaceAnswer(null, closed.InnerException?.Message ?? closed.Message);
            }
            finally
            {
                connections.Release();
            }
        }

        async Task<RaceAnswer[]> BurstAsync(string path) =>
            await Task.WhenAll(Enumerable.Range(0, plan.Racers).Select(_ => RaceOnceAsync(path)));

        var naive = await BurstAsync(plan.NaivePath);
        var atomic = await BurstAsync(plan.AtomicPath);
        RaceOutcome? outcome;
        try
        {
            outcome = (await SendAsync<RaceOutcome>(new HttpRequestMessage(HttpMethod.Get, plan.OutcomePath.TrimStart('/')), cancellationToken)).Value;
        }
        catch (HttpRequestException)
        {
            outcome = null;
        }

        return new RaceReport(plan, naive, atomic, outcome);
    }

    /// <summary>Lesson 7: the cart page. The first read starts the session; this client must keep cookies.</summary>
    public Task<ApiResult<CartPage>> GetCartAsync(CancellationToken cancellationToken = default) =>
        SendAsync<CartPage>(new HttpRequestMessage(HttpMethod.Get, "shop/cart"), cancellationToken);

    public Task<ApiResult<CartItemAdded>> AddToCartAsync(int productId, string formToken, CancellationToken cancellationToken = default) =>
        SendAsync<CartItemAdded>(WithFormToken(new HttpRequestMessage(HttpMethod.Post, "shop/cart/items") { Content = JsonContent.Create(new { productId }, options: Json) }, formToken), cancellationToken);

    public Task<ApiResult<Order>> CheckoutAsync(string formToken, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(WithFormToken(new HttpRequestMessage(HttpMethod.Post, "shop/checkout"), formToken), cancellationToken);

    /// <summary>
    /// Lesson 7: a 409 stale-session means the cart changed since this session's page showed it. Re-read the page
    /// (which refreshes the session's view, and is where a real client would show the user what changed), then
    /// submit again. Never replay the stale submission as it was: it gets the same 409.
    /// </summary>
    /// <param name="onStale">Called with each 409 before the page is re-read, e.g. to show what changed.</param>
    public async Task<ApiResult<Order>> CheckoutRecoveringAsync(
        string formToken, Action<ApiResult<Order>>? onStale = null, int maxAttempts = 3, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await CheckoutAsync(formToken, cancellationToken);
            if (!result.IsProblem(ProblemTypes.StaleSession) || attempt == maxAttempts)
            {
                return result;
            }

            onStale?.Invoke(result);

            var page = await GetCartAsync(cancellationToken);
            formToken = page.Value?.FormToken ?? formToken;
        }
    }

    private static HttpRequestMessage WithFormToken(HttpRequestMessage request, string formToken)
    {
        request.Headers.TryAddWithoutValidation(FormTokenHeader, formToken);
        return request;
    }

    /// <summary>The header lesson 7's shop reads its antiforgery form token from.</summary>
    public const string FormTokenHeader = "X-Form-Token";

    private static string UserPath(string username) => $"users/{Uri.EscapeDataString(username)}";

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        using (var response = await http.SendAsync(request, cancellationToken))
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var problem = mediaType == "application/problem+json"
                ? await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken)
                : null;
            var value = response.IsSuccessStatusCode && mediaType == "application/json"
                ? await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                : default;
            if (problem is null && value is null)
            {
                // Read any other body whole too, so the connection is free for the next request the moment this returns.
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }

            var retryAfter = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date ? date - _time.GetUtcNow() : null);
            return new ApiResult<T>(
                response.StatusCode,
                value,
                problem,
                response.Headers.ETag?.ToString(),
                retryAfter,
                response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true"));
        }
    }
}
