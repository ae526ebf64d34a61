using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace Conflict409.Api.Problems;

/// <summary>
/// A query, route or header value the framework could not convert to its parameter's type, e.g. <c>?page=abc</c>.
/// The framework reports it as <c>Failed to bind parameter "int page" from "abc".</c>; this says the same to a
/// learner: where the value came from, the form it must take, and what was sent.
/// </summary>
public sealed partial record ParameterBindingFailure(string Source, string Name, string ExpectedForm, string Value)
{
    /// <summary>A value echoed back longer than this is cut: the detail names it, it need not repeat a flood.</summary>
    public const int MaxEchoedLength = 40;

    /// <summary>The member of <c>errors</c>, as for a value that binds but breaks its range (<c>?page=0</c>).</summary>
    public string Error => $"'{Name}' must be {ExpectedForm}.";

    public string Detail => $"{Source} '{Name}' must be {ExpectedForm}; got '{Echo(Value)}'.";

    /// <summary>
    /// The failure <paramref name="exception"/> reports, described from the endpoint's own parameter (its type, its
    /// <c>[Range]</c>, where it binds from); null when the exception is about something else, such as the body.
    /// </summary>
    public static ParameterBindingFailure? From(BadHttpRequestException exception, HttpContext context)
    {
        // RequestDelegateFactory's wording (Log.ParameterBindingFailed); the only place the parameter is named.
        if (BindingFailed().Match(exception.Message) is not { Success: true } match)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var value = match.Groups["value"].Value;
        // The exception handler clears the request's endpoint before it writes the problem; the feature keeps it.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .FirstOrDefault(candidate => candidate.Name == name);
        return parameter is null
            ? new("Parameter", name, $"a value of type {match.Groups["type"].Value}", value)
            : new(SourceOf(parameter, endpoint as RouteEndpoint, out var boundName), boundName, ExpectedFormOf(parameter), value);
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindingFailed();

    /// <summary>Where the framework reads a simple parameter from: as attributed, else the route when the pattern names it, else the query.</summary>
    private static string SourceOf(ParameterInfo parameter, RouteEndpoint? endpoint, out string name)
    {
        var attributes = parameter.GetCustomAttributes().ToArray();
        name = parameter.Name!;
        if (attributes.OfType<IFromHeaderMetadata>().FirstOrDefault() is { } header)
        {
            name = header.Name ?? name;
            return "Header";
        }

        if (attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { } query)
        {
            name = query.Name ?? name;
            return "Query parameter";
        }

        if (attributes.OfType<IFromRouteMetadata>().FirstOrDefault() is { } route)
        {
            name = route.Name ?? name;
            return "Route parameter";
        }

        return endpoint?.RoutePattern.GetParameter(name) is not null ? "Route parameter" : "Query parameter";
    }

    private static string ExpectedFormOf(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var form = type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
                || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte) => "an integer",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(Guid) => "a GUID",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => $"a value of type {type.Name}",
        };
        // The range the value is checked against once it binds: one answer for ?page=abc and ?page=0.
        return parameter.GetCustomAttribute<RangeAttribute>() is { Minimum: var minimum, Maximum: var maximum }
            ? $"{form} from {minimum} to {maximum}"
            : form;
    }

    private static string Echo(string value) =>
        value.Length <= MaxEchoedLength ? value : string.Concat(value.AsSpan(0, MaxEchoedLength), "…");
}
