using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Conflict409.Api.Progress;

/// <summary>
/// Documents the optional Learner header on every operation. A name the board cannot use fails no request (the
/// board's own endpoints document their 400, 409 and 429 themselves), so no status is added here.
/// </summary>
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
                "Without it the server knows you by your address. A name belongs to the address that first sent it while " +
                "its board lives, and one address holds Progress:MaxLearnersPerAddress names at most. A name the board " +
                "cannot use (malformed, another address's, or one too many) never fails this request: it is served and " +
                $"graded under your address, and the response's {Learner.IgnoredHeaderName} header names the problem type " +
                "(invalid-learner, learner-name-taken or too-many-learner-names, each explained at /problems/{slug}).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Learner.MaxNameLength },
        });
    }
}
