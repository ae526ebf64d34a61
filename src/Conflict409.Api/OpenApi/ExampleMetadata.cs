using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Conflict409.Api.OpenApi;

/// <summary>An example body for the OpenAPI document, attached to an endpoint as metadata.</summary>
/// <param name="StatusCode">The response status the example belongs to, or null for the request body.</param>
/// <param name="Example">The body, serialised with the API's JSON options.</param>
public sealed record ExampleMetadata(int? StatusCode, object Example);

public static class ExampleMetadataExtensions
{
    /// <summary>
    /// Documents a problem response with the very problem a handler builds, so the example cannot drift from
    /// what the server sends. <paramref name="instance"/> stands in for the request path the server fills in: by
    /// default the endpoint's route, e.g. <c>/users/{username}</c>.
    /// </summary>
    public static RouteHandlerBuilder WithProblemExample(this RouteHandlerBuilder builder, IResult problem, string? instance = null)
    {
        var (status, details) = problem switch
        {
            ProblemHttpResult result => (result.StatusCode, result.ProblemDetails),
            ValidationProblem result => (result.StatusCode, (ProblemDetails)result.ProblemDetails),
            _ => throw new ArgumentException("Not a problem result.", nameof(problem)),
        };
        details.Instance = instance;
        return builder.WithMetadata(new ExampleMetadata(status, details));
    }

    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example) =>
        builder.WithMetadata(new ExampleMetadata(null, example));

    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int statusCode, object example) =>
        builder.WithMetadata(new ExampleMetadata(statusCode, example));
}
