using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Conflict409.Api.Progress;

/// <summary>Documents the optional Learner header, and the 400 a malformed one gets, on every operation.</summary>
public sealed class LearnerHeaderOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Learner.HeaderName,
            In = ParameterLocation.Header,
            Required = false,
            Description =
                $"Optional. Whose progress board this request counts towards ({ProgressEndpoints.PagePath}): {Learner.NameRule} " +
                "Without it the server knows you by your address. A malformed one is 400 invalid-learner.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Learner.MaxNameLength },
        });

        operation.Responses ??= [];
        if (!operation.Responses.ContainsKey("400"))
        {
            operation.Responses["400"] = new OpenApiResponse
            {
                Description = "Bad Request",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new()
                    {
                        Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository),
                    },
                },
            };
        }
    }
}
