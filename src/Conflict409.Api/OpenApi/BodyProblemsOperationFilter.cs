using System.Globalization;
using System.Text.Json;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Conflict409.Api.OpenApi;

/// <summary>
/// The framework refuses a body that is too large (413) or not JSON (415) before any handler runs, for every
/// endpoint that reads one: documented here once, with the problem the server sends, rather than per endpoint.
/// </summary>
public sealed class BodyProblemsOperationFilter(IOptions<JsonOptions> jsonOptions) : IOperationFilter
{
    private readonly JsonSerializerOptions _serializerOptions = jsonOptions.Value.SerializerOptions;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody is null)
        {
            return;
        }

        var schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];
        Add(ProblemTypes.PayloadTooLarge, ProblemDetailsSetup.PayloadTooLargeDetail);
        Add(ProblemTypes.UnsupportedMediaType, ProblemDetailsSetup.UnsupportedMediaTypeDetail);

        void Add(ProblemType type, string detail)
        {
            var problem = type.Result(detail).ProblemDetails;
            problem.Instance = ExampleOperationFilter.InstanceOf(context);
            operation.Responses[type.Status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(type.Status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new()
                    {
                        Schema = schema,
                        Example = JsonSerializer.SerializeToNode(problem, _serializerOptions),
                    },
                },
            };
        }
    }
}
