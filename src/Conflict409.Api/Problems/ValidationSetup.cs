using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace Conflict409.Api.Problems;

public static class ValidationSetup
{
    /// <summary>
    /// The built-in validation (<c>AddValidation</c>: the attributes on the request records, checked by the framework's
    /// endpoint filter), with each type's description built once instead of on every request.
    /// </summary>
    public static IServiceCollection AddConflictValidation(this IServiceCollection services)
    {
        services.AddValidation();
        // After every Configure: the source generator's resolver is added by AddValidation's own.
        services.AddSingleton<IPostConfigureOptions<ValidationOptions>, CacheValidatableTypes>();
        return services;
    }
}

/// <summary>
/// Replaces the resolvers with one wrapper around them that keeps their answer for each type. The validation source
/// generator's resolver builds a new description of a type (its members, and its supertypes by reflection) each time
/// it is asked, and the built-in filter asks for the type of every validated argument on every request: on
/// <c>POST /register</c> that was an eighth to a sixth of the validation filter's samples (tests/load/README.md). The
/// descriptions are read-only once built (the framework's filter keeps its parameters' descriptions for the
/// endpoint's lifetime the same way), and the types asked for are the program's own (bound arguments, their
/// properties' values, their supertypes), never a client's choice, so the cache is bounded by the program.
/// </summary>
#pragma warning disable ASP0029 // Microsoft.Extensions.Validation's resolver API is marked experimental in .NET 10.
internal sealed class CacheValidatableTypes : IPostConfigureOptions<ValidationOptions>
{
    public void PostConfigure(string? name, ValidationOptions options)
    {
        // The resolvers as they were, asked in their order by the framework's own lookup.
        var resolvers = new ValidationOptions();
        foreach (var resolver in options.Resolvers)
        {
            resolvers.Resolvers.Add(resolver);
        }

        options.Resolvers.Clear();
        options.Resolvers.Add(new CachedResolver(resolvers));
    }

    private sealed class CachedResolver(ValidationOptions resolvers) : IValidatableInfoResolver
    {
        private readonly ConcurrentDictionary<Type, IValidatableInfo?> _types = new();

        public bool TryGetValidatableTypeInfo(Type type, [NotNullWhen(true)] out IValidatableInfo? validatableInfo)
        {
            validatableInfo = _types.GetOrAdd(
                type, static (asked, resolvers) => resolvers.TryGetValidatableTypeInfo(asked, out var info) ? info : null, resolvers);
            return validatableInfo is not null;
        }

        // Asked once per endpoint parameter, when the endpoint is built: nothing to keep.
        public bool TryGetValidatableParameterInfo(ParameterInfo parameterInfo, [NotNullWhen(true)] out IValidatableInfo? validatableInfo) =>
            resolvers.TryGetValidatableParameterInfo(parameterInfo, out validatableInfo);
    }
}
#pragma warning restore ASP0029
