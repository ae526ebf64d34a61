using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Conflict409.Api.Clients;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Catalog;

public sealed class CatalogRateLimitOptions
{
    public const string SectionName = "Catalog:RateLimit";

    /// <summary>Requests a client may make per window.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>409 reproduces the anti-pattern the lesson warns about; 429 is the correct status.</summary>
    [AllowedValues(StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests)]
    public int RejectionStatusCode { get; set; } = StatusCodes.Status409Conflict;
}

public static class CatalogRateLimit
{
    public const string PolicyName = "catalog";

    public static IServiceCollection AddCatalogRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogRateLimitOptions>()
            .Bind(configuration.GetSection(CatalogRateLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, httpContext =>
            {
                var limits = httpContext.RequestServices.GetRequiredService<IOptions<CatalogRateLimitOptions>>().Value;
                // One window per client address: the scraper is throttled, other clients are not.
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.Of(httpContext),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0 });
            });
            options.OnRejected = WriteRejectionAsync;
        });
        return services;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var httpContext = context.HttpContext;
        var limits = httpContext.RequestServices.GetRequiredService<IOptions<CatalogRateLimitOptions>>().Value;
        var type = limits.RejectionStatusCode == StatusCodes.Status409Conflict
            ? ProblemTypes.BlockedByRateLimit
            : ProblemTypes.TooManyRequests;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.Window;
        var seconds = RetryAfter.Set(httpContext.Response, wait);
        await type.WriteAsync(
            httpContext,
            $"More than {limits.PermitLimit} requests in {limits.Window.TotalSeconds:0} s from this client. Retry after {seconds} s.",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }
}
