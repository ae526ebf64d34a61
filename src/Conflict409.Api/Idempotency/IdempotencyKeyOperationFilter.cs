using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Conflict409.Api.Idempotency;

/// <summary>Documents the optional Idempotency-Key header on endpoints that honour it.</summary>
public sealed class IdempotencyKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyMetadata>().Any())
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyKey.HeaderName,
            In = ParameterLocation.Header,
            Required = false,
            Description =
                $"Optional. Makes retries safe. {IdempotencyRules.Semantics} {IdempotencyRules.KeyFormat} " +
                "Leave it empty for lesson 0.",
            // No example value: Swagger UI would pre-fill it into every try, turning the next name into a 422.
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKey.MaxLength },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyHold.QueryName,
            In = ParameterLocation.Query,
            Required = false,
            Description = $"Optional, for lesson 3 by hand: milliseconds to hold the Idempotency-Key in flight. {IdempotencyRules.Hold}",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "0",
                Maximum = IdempotencyHold.MaxMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
    }
}
