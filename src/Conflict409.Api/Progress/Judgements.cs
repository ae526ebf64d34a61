using Conflict409.Api.Catalog;
using Conflict409.Api.Lessons;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;

namespace Conflict409.Api.Progress;

/// <summary>A mistake the board can name after a lesson's conflict, with how to fix it.</summary>
/// <param name="Id">Stable identifier, also the metric's <c>mistake</c> tag.</param>
public sealed record Mistake(string Id, Lesson Lesson, string Title, string Fix);

/// <summary>Every mistake the grader judges: the one place their wording lives (the board and the README link here).</summary>
public static class Mistakes
{
    public static readonly Mistake BlindRetry = new(
        "blind-retry", LessonCatalog.DuplicateRegistration,
        "Sent a taken username again, unchanged (a blind retry).",
        "A taken name stays taken, so the same request can only get the same 409. Read existingUsername and " +
        "register another name.");

    public static readonly Mistake UpdateWithoutReread = new(
        "update-without-reread", LessonCatalog.Versioning,
        "Sent a refused profile update again unchanged, or overwrote the profile, without a fresh GET in between.",
        "A stale If-Match or version stays stale, and copying currentETag from the problem overwrites a change you " +
        "never saw. GET the user, re-apply your change to that copy, and send it with the new ETag or version.");

    public static readonly Mistake DeleteBeforeBlockers = new(
        "delete-before-blockers", LessonCatalog.ReferencedResource,
        "Deleted the user again before the resources in blockedBy.",
        "The user stays referenced until every resource in blockedBy is deleted or changed: remove those first, " +
        "then delete the user.");

    public static readonly Mistake NewKeyRetry = new(
        "new-key-retry", LessonCatalog.RetriedRequests,
        "Retried with another Idempotency-Key (or none) while the first request was in flight.",
        "Another key is another operation, which can do the work twice. Retry with the same key and payload.");

    public static readonly Mistake KeyRetriedTooSoon = new(
        "key-retried-too-soon", LessonCatalog.RetriedRequests,
        "Retried the in-flight key before Retry-After had passed.",
        "Wait the Retry-After seconds the 409 gave, then retry with the same key and payload: the first " +
        "request's response is replayed.");

    public static readonly Mistake KeyReusedAgain = new(
        "key-reused-again", LessonCatalog.RetriedRequests,
        "Sent a key again with another payload after its 422.",
        "A key names one operation. For a new payload, generate a new key.");

    public static readonly Mistake RequestedTooSoon = new(
        "requested-too-soon", LessonCatalog.BlockingGet,
        "Requested again before Retry-After had passed (counted per request).",
        "Honour Retry-After: send nothing to the blocked resource until it has passed, then spread requests out.");

    public static readonly Mistake CheckoutWithoutRefresh = new(
        "checkout-without-refresh", LessonCatalog.StaleSession,
        "Re-submitted the checkout without reloading the cart in between.",
        "The session still holds the old view, so the same checkout gets the same 409. GET /shop/cart to see " +
        "what changed (and refresh the session), then check out again.");

    public static IReadOnlyList<Mistake> All { get; } =
    [
        BlindRetry, UpdateWithoutReread, DeleteBeforeBlockers, NewKeyRetry, KeyRetriedTooSoon, KeyReusedAgain,
        RequestedTooSoon, CheckoutWithoutRefresh,
    ];
}

/// <summary>The requests the grader looks at, named as their endpoints are (WithName, the handler's name).</summary>
public enum GradedOperation
{
    Register,
    GetUser,
    UpdateProfile,
    DeleteUser,
    CreateTeam,
    DeleteTeam,
    ListProducts,
    RegisterNaively,
    PlanRace,
    ReadCart,
    AddCartItem,
    Checkout,
}

/// <summary>An endpoint the board grades: what it does, and how the board shows a request to it.</summary>
/// <param name="Operation">What the grader judges of it.</param>
/// <param name="Request">Method and route as a learner writes them, e.g. "PUT /users/{username}/profile".</param>
/// <param name="Parameter">The route parameter a request's target replaces, e.g. "{username}"; null when none.</param>
public sealed record GradedEndpoint(GradedOperation Operation, string Request, string? Parameter);

public static class GradedOperations
{
    private static readonly Dictionary<string, GradedOperation> ByEndpointName = new(StringComparer.Ordinal)
    {
        [nameof(RegistrationEndpoints.Register)] = GradedOperation.Register,
        [nameof(UserEndpoints.GetUser)] = GradedOperation.GetUser,
        [nameof(ProfileEndpoints.UpdateProfile)] = GradedOperation.UpdateProfile,
        [nameof(UserEndpoints.DeleteUser)] = GradedOperation.DeleteUser,
        [nameof(TeamEndpoints.CreateTeam)] = GradedOperation.CreateTeam,
        [nameof(TeamEndpoints.DeleteTeam)] = GradedOperation.DeleteTeam,
        [nameof(CatalogEndpoints.ListProducts)] = GradedOperation.ListProducts,
        [nameof(RaceEndpoints.RegisterNaively)] = GradedOperation.RegisterNaively,
        [nameof(RaceEndpoints.PlanRace)] = GradedOperation.PlanRace,
        [nameof(ShopEndpoints.ReadCart)] = GradedOperation.ReadCart,
        [nameof(ShopEndpoints.AddCartItem)] = GradedOperation.AddCartItem,
        [nameof(ShopEndpoints.Checkout)] = GradedOperation.Checkout,
    };

    public static IReadOnlyCollection<string> EndpointNames => ByEndpointName.Keys;

    /// <summary>The lessons whose conflicts a client can provoke and recover from; lesson 5's 409 reaches a client as lesson 0's.</summary>
    public static IReadOnlyList<Lesson> Lessons { get; } =
    [
        LessonCatalog.DuplicateRegistration, LessonCatalog.Versioning, LessonCatalog.ReferencedResource,
        LessonCatalog.RetriedRequests, LessonCatalog.BlockingGet, LessonCatalog.CheckThenAct, LessonCatalog.StaleSession,
    ];

    /// <summary>What the board needs of an endpoint, worked out once per endpoint (<see cref="ProgressBoards"/> keeps them).</summary>
    public static GradedEndpoint? Describe(Endpoint? endpoint)
    {
        if (Of(endpoint) is not { } operation)
        {
            return null;
        }

        var route = endpoint as RouteEndpoint;
        var method = route?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : "";
        // A group's "/" endpoint has the pattern "/teams/"; the learner wrote "/teams".
        var path = route?.RoutePattern.RawText is { Length: > 1 } raw ? raw.TrimEnd('/') : "/";
        var parameter = route?.RoutePattern.Parameters is [var routeParameter, ..] ? $"{{{routeParameter.Name}}}" : null;
        return new GradedEndpoint(operation, $"{method} {path}".Trim(), parameter);
    }

    /// <summary>The name of a graded endpoint (how the shared progress log names it); null for any other.</summary>
    public static string? NameOf(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && ByEndpointName.ContainsKey(name)
            ? name
            : null;

    public static GradedOperation? Of(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name
        && ByEndpointName.TryGetValue(name, out var operation)
            ? operation
            : null;
}
