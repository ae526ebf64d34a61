using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Conflict409.Api.Hosting;

/// <summary>
/// The limits a class of students hammering one laptop needs, all from configuration: Kestrel's request
/// limits, a request timeout, and a JSON reader that refuses ambiguous or absurd bodies.
/// </summary>
public static class LimitsSetup
{
    public const string RequestTimeoutKey = "RequestTimeout";

    /// <summary>Request bodies here are a few flat fields; anything deeper is an attack, not a request.</summary>
    public const int MaxJsonDepth = 8;

    public static IServiceCollection AddConflictLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // Kestrel reads its endpoints from "Kestrel" but not its limits; bind those too.
        services.Configure<KestrelServerOptions>(configuration.GetSection("Kestrel"));

        services.ConfigureHttpJsonOptions(options =>
        {
            // {"username":"a","username":"b"} must not silently mean either one.
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.MaxDepth = MaxJsonDepth;
            // The web defaults read "1" as 1; a teaching server shows the schema's types as they are.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        var timeout = configuration.GetValue(RequestTimeoutKey, TimeSpan.FromSeconds(10));
        services.AddRequestTimeouts(options => options.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = timeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        return services;
    }
}
