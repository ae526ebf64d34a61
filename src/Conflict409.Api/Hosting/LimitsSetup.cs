using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Hosting;

/// <summary>The server-wide limits that are not Kestrel's own.</summary>
public sealed class ServerLimitsOptions
{
    /// <summary>Read from the top level of the configuration.</summary>
    public const string SectionName = "";

    /// <summary>A request running longer is cut off with 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "RequestTimeout must be from {1} to {2}.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The limits a class of students hammering one laptop needs, all from configuration: Kestrel's request
/// limits, a request timeout, and a JSON reader that refuses ambiguous or absurd bodies.
/// </summary>
public static class LimitsSetup
{
    public const string KestrelSectionName = "Kestrel";

    /// <summary>Request bodies here are a few flat fields; anything deeper is an attack, not a request.</summary>
    public const int MaxJsonDepth = 8;

    /// <summary>Bytes; a registration is a few dozen, so 4 KiB leaves room without inviting floods.</summary>
    public const long DefaultMaxRequestBodySize = 4096;

    /// <summary>The largest request body the server may be configured to accept (the default is 4 KiB).</summary>
    public const long MaxRequestBodySizeLimit = 1024 * 1024;

    public static IServiceCollection AddConflictLimits(this IServiceCollection services)
    {
        // Kestrel reads its endpoints from "Kestrel" but not its limits; bind those too. A body limit of 0 (or none)
        // would answer every POST with 413 (or let any body in), so it is checked at start like every other setting.
        services.AddOptions<KestrelServerOptions>()
            .Configure(kestrel => kestrel.Limits.MaxRequestBodySize = DefaultMaxRequestBodySize)
            .BindConfiguration(KestrelSectionName)
            .Validate(
                kestrel => kestrel.Limits.MaxRequestBodySize is >= 1 and <= MaxRequestBodySizeLimit,
                $"Kestrel:Limits:MaxRequestBodySize must be from 1 to {MaxRequestBodySizeLimit} bytes.")
            .ValidateOnStart();

        services.ConfigureHttpJsonOptions(options =>
        {
            // {"username":"a","username":"b"} must not silently mean either one.
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.MaxDepth = MaxJsonDepth;
            // The web defaults read "1" as 1; a teaching server shows the schema's types as they are.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        // The top level holds many keys besides RequestTimeout: bound from the root, not a section.
        services.AddValidatedOptions<ServerLimitsOptions>(ServerLimitsOptions.SectionName);
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>()
            .Configure<IOptions<ServerLimitsOptions>>((options, limits) => options.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            });
        return services;
    }
}
