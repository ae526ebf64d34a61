namespace Conflict409.Api.OpenApi;

/// <summary>An example body for the OpenAPI document, attached to an endpoint as metadata.</summary>
/// <param name="StatusCode">The response status the example belongs to, or null for the request body.</param>
/// <param name="Example">The body, serialised with the API's JSON options.</param>
public sealed record ExampleMetadata(int? StatusCode, object Example);

public static class ExampleMetadataExtensions
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example) =>
        builder.WithMetadata(new ExampleMetadata(null, example));

    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int statusCode, object example) =>
        builder.WithMetadata(new ExampleMetadata(statusCode, example));
}
