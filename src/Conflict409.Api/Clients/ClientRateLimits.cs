using Conflict409.Api.Hosting;
using System.Threading.RateLimiting;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Clients;

/// <summary>
/// Per-client rate limits on the endpoints that fill the shared stores or scan them: each client address
/// (<see cref="ClientAddress"/>) has its own window, so one client flooding /register is slowed down with
/// 429 and <c>Retry-After</c> while the others keep registering.
/// </summary>
public static class ClientRateLimits
{
    public const string Registrations = "registrations";
    public const string TeamCreations = "team-creations";
    public const string Listing = "listing";

    public static IServiceCollection AddClientFairness(this IServiceCollection services)
    {
        services.AddValidatedOptions<FairnessOptions>(FairnessOptions.SectionName);
        services.AddTrustedProxies();
        services.AddSingleton<ConnectionsPerClient>();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy<string, ClientRateLimitPolicy.ForRegistrations>(Registrations);
            options.AddPolicy<string, ClientRateLimitPolicy.ForTeamCreations>(TeamCreations);
            options.AddPolicy<string, ClientRateLimitPolicy.ForListing>(Listing);
        });
        return services.AddConnectionsPerClient();
    }

    /// <summary>Documents the 429 this endpoint answers when its client goes over <paramref name="policy"/>.</summary>
    public static RouteHandlerBuilder RequireClientRateLimit(this RouteHandlerBuilder builder, string policy) =>
        builder.RequireRateLimiting(policy).ProducesProblem(StatusCodes.Status429TooManyRequests);
}

/// <summary>
/// A token bucket per client address (<see cref="ExactTokenBucketLimiter"/>: <see cref="ClientRateLimit.PermitLimit"/>
/// tokens, one back per <see cref="ClientRateLimit.Window"/> / <see cref="ClientRateLimit.PermitLimit"/>); over it, a
/// 429 problem that says exactly when to come back.
/// </summary>
public abstract class ClientRateLimitPolicy : IRateLimiterPolicy<string>
{
    private readonly ClientRateLimit _limit;
    private readonly string _what;
    private readonly TimeSpan _tokenPeriod;
    private readonly Func<string, RateLimiter> _newBucket;

    protected ClientRateLimitPolicy(ClientRateLimit limit, string what, TimeProvider time)
    {
        _limit = limit;
        _what = what;
        _tokenPeriod = limit.Window / limit.PermitLimit;
        _newBucket = _ => new ExactTokenBucketLimiter(time, limit.PermitLimit, _tokenPeriod);
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.Get(ClientAddress.Of(httpContext), _newBucket);

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var httpContext = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _tokenPeriod;
        var seconds = RetryAfter.Set(httpContext.Response, wait);
        await ProblemTypes.TooManyRequests.WriteAsync(
            httpContext,
            $"More than {_limit.PermitLimit} {_what} in {_limit.Window.TotalSeconds:0.###} s from this client " +
                $"({ClientAddress.Of(httpContext)}); other clients are not affected. Retry after {seconds} s.",
            new Dictionary<string, object?>
            {
                ["retryAfterSeconds"] = seconds,
                ["permitLimit"] = _limit.PermitLimit,
                ["windowSeconds"] = _limit.Window.TotalSeconds,
            });
    }

    public sealed class ForRegistrations(IOptions<FairnessOptions> options, TimeProvider time)
        : ClientRateLimitPolicy(options.Value.Registrations, "registrations", time);

    public sealed class ForTeamCreations(IOptions<FairnessOptions> options, TimeProvider time)
        : ClientRateLimitPolicy(options.Value.TeamCreations, "team creations", time);

    public sealed class ForListing(IOptions<FairnessOptions> options, TimeProvider time)
        : ClientRateLimitPolicy(options.Value.Listing, "user listings", time);
}
