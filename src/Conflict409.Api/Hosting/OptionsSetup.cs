using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Hosting;

public static class OptionsSetup
{
    /// <summary>
    /// The one way options are registered here: bound from <paramref name="section"/> (the configuration's root when
    /// empty), validated by the data annotations on <typeparamref name="TOptions"/> (each message names the setting
    /// and its allowed range) and on the option objects nested in it (see <see cref="NestedRanges{TOptions}"/>), and
    /// checked when the host starts, so a misconfigured server refuses to start instead of failing requests.
    /// Inject <c>IOptions&lt;TOptions&gt;</c> where the value is read.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new NestedRanges<TOptions>(section));
        return services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var values = section.Length == 0 ? configuration : configuration.GetSection(section);
                ThrowIfNotOfItsType(typeof(TOptions), values, section);
                values.Bind(options);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>
    /// The ranges of option objects nested in <typeparamref name="TOptions"/> (Fairness's three limits share one
    /// type), which the data annotations do not reach: each message names the setting's whole path, the attribute's
    /// <c>{0}</c>.
    /// </summary>
    private sealed class NestedRanges<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = new List<string>();
            foreach (var property in typeof(TOptions).GetProperties().Where(IsNestedOptions))
            {
                CheckRanges(property.GetValue(options), SettingPath(section, property.Name), failures);
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void CheckRanges(object? nested, string path, List<string> failures)
        {
            foreach (var property in nested?.GetType().GetProperties() ?? [])
            {
                if (property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(property.GetValue(nested)))
                {
                    failures.Add(range.FormatErrorMessage(SettingPath(path, property.Name)));
                }
            }
        }
    }

    private static string SettingPath(string section, string name) =>
        section.Length == 0 ? name : ConfigurationPath.Combine(section, name);

    /// <summary>An option object of this server's own nested in another (not a string, collection or framework type).</summary>
    private static bool IsNestedOptions(PropertyInfo property) =>
        property.PropertyType.IsClass && property.PropertyType != typeof(string)
        && property.PropertyType.Namespace?.StartsWith(nameof(Conflict409), StringComparison.Ordinal) == true;

    /// <summary>
    /// The binder refuses a value that is not of the setting's type at all ("banana" for a duration) with a message
    /// that names the setting and the value but not what it allows; the setting's own range message says both.
    /// </summary>
    private static void ThrowIfNotOfItsType(Type options, IConfiguration values, string section)
    {
        var failures = new List<string>();
        Check(options, values, section, failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, options, failures);
        }
    }

    /// <summary>The ranged settings of <paramref name="type"/>, and of the option objects nested in it (Fairness's limits).</summary>
    private static void Check(Type type, IConfiguration values, string section, List<string> failures)
    {
        foreach (var property in type.GetProperties())
        {
            var setting = SettingPath(section, property.Name);
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                if (values[property.Name] is { } raw && !IsOfType(property.PropertyType, raw))
                {
                    failures.Add($"{range.FormatErrorMessage(setting)} '{raw}' is not a {KindOf(property.PropertyType)}.");
                }
            }
            else if (IsNestedOptions(property))
            {
                Check(property.PropertyType, values.GetSection(property.Name), setting, failures);
            }
        }
    }

    private static bool IsOfType(Type type, string raw)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(raw);
            return true;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static string KindOf(Type type) => type == typeof(TimeSpan) ? "duration (e.g. 00:00:10)" : "whole number";
}
