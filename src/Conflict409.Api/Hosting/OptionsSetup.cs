using Microsoft.Extensions.Options;

namespace Conflict409.Api.Hosting;

public static class OptionsSetup
{
    /// <summary>
    /// The one way options are registered here: bound from <paramref name="section"/>, validated by the data
    /// annotations on <typeparamref name="TOptions"/> (each message names the setting and its allowed range), and
    /// checked when the host starts, so a misconfigured server refuses to start instead of failing requests.
    /// Inject <c>IOptions&lt;TOptions&gt;</c> where the value is read.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
