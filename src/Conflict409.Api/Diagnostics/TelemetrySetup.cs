using OpenTelemetry;

namespace Conflict409.Api.Diagnostics;

public static class TelemetrySetup
{
    /// <summary>The standard variable (OpenTelemetry specification) that names where to send OTLP data.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>ASP.NET Core's own meters, exported beside <see cref="ConflictMetrics.MeterName"/>.</summary>
    public static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
    ];

    public static IServiceCollection AddConflictTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<ConflictMetrics>();

        // Every problem the server sends passes through the problem details service, whoever wrote it (a handler,
        // validation, the rate limiter, the exception handler), so this one hook counts them all.
        services.AddOptions<ProblemDetailsOptions>().PostConfigure<ConflictMetrics>((options, metrics) =>
        {
            var customize = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                metrics.ProblemSent(context.ProblemDetails.Type, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            };
        });

        // Nothing leaves the process unless the operator names a collector (OTEL_SERVICE_NAME and the other
        // OTEL_EXPORTER_OTLP_* variables are read by the exporter itself).
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            services.AddOpenTelemetry()
                .WithMetrics(metrics => metrics.AddMeter([ConflictMetrics.MeterName, .. FrameworkMeters]))
                .UseOtlpExporter();
        }

        return services;
    }
}
