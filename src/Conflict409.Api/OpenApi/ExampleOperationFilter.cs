using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Conflict409.Api.OpenApi;

/// <summary>Puts each endpoint's <see cref="ExampleMetadata"/> into its request and response media types.</summary>
public sealed class ExampleOperationFilter(IOptions<JsonOptions> jsonOptions) : IOperationFilter
{
    /// <summary>The request path a problem example names as its instance: the endpoint's route.</summary>
    public static string InstanceOf(OperationFilterContext context) => "/" + context.ApiDescription.RelativePath?.TrimEnd('/');

    private readonly JsonSerializerOptions _serializerOptions = jsonOptions.Value.SerializerOptions;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var metadata in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ExampleMetadata>())
        {
            var content = metadata.StatusCode is { } status
                ? operation.Responses?.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture))?.Content
                : operation.RequestBody?.Content;
            if (content is null)
            {
                continue;
            }

            var example = JsonSerializer.SerializeToNode(metadata.Example, _serializerOptions);
            // A problem's instance is the request path: the route's own, unless the example names a concrete one.
            if (metadata.Example is ProblemDetails { Instance: null } && example is JsonObject problem)
            {
                problem["instance"] = InstanceOf(context);
            }

            foreach (var mediaType in content.Values.OfType<OpenApiMediaType>())
            {
                mediaType.Example = example?.DeepClone();
            }
        }
    }
}
