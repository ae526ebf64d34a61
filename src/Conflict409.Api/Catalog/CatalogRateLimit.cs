using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Conflict409.Api.Clients;
using Conflict409.Api.Hosting;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Catalog;

public sealed class CatalogRateLimitOptions
{
    public const string SectionName = "Catalog:RateLimit";

    /// <summary>Requests a client may make per window.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Catalog:RateLimit:PermitLimit must be from {1} to {2}.")]
    public int PermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Catalog:RateLimit:Window must be from {1} to {2}.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>409 reproduces the anti-pattern the lesson warns about; 429 is the correct status.</summary>
    [AllowedValues(StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests,
        ErrorMessage = "Catalog:RateLimit:RejectionStatusCode must be 409 or 429.")]
    public int RejectionStatusCode { get; set; } = StatusCodes.Status409Conflict;
}

public static class CatalogRateLimit
{
    public const string PolicyName = "catalog";

    public static IServiceCollection AddCatalogRateLimit(this IServiceCollection services)
    {
        services.AddValidatedOptions<CatalogRateLimitOptions>(CatalogRateLimitOptions.SectionName);
        services.AddRateLimiter(options => options.AddPolicy<string, CatalogRateLimitPolicy>(PolicyName));
        return services;
    }
}

/// <summary>
/// One fixed window per client address: the scraper is throttled, other clients are not. The window is an
/// <see cref="ExactFixedWindowLimiter"/>, so the Retry-After that lesson 4 teaches to honour is enough (issue #19).
/// </summary>
public sealed class CatalogRateLimitPolicy : IRateLimiterPolicy<string>
{
    private readonly CatalogRateLimitOptions _limits;
    private readonly Func<string, RateLimiter> _newWindow;

    public CatalogRateLimitPolicy(IOptions<CatalogRateLimitOptions> options, TimeProvider time)
    {
        _limits = options.Value;
        _newWindow = _ => new ExactFixedWindowLimiter(time, _limits.PermitLimit, _limits.Window);
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => WriteRejectionAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.Get(ClientAddress.Of(httpContext), _newWindow);

    private async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var type = _limits.RejectionStatusCode == StatusCodes.Status409Conflict
            ? CatalogProblemTypes.BlockedByRateLimit
            : ProblemTypes.TooManyRequests;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _limits.Window;
        var seconds = RetryAfter.Set(context.HttpContext.Response, wait);
        await type.WriteAsync(
            context.HttpContext,
            $"More than {_limits.PermitLimit} requests in {_limits.Window.TotalSeconds:0} s from this client. Retry after {seconds} s.",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }
}
