using Conflict409.Api.Problems;
using Conflict409.Api.Progress;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Conflict409.Api.Lessons;

/// <summary>Gives every lesson's Swagger UI tag its explanation, in lesson order.</summary>
public sealed class LessonTagsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var tags = new HashSet<OpenApiTag>
        {
            new() { Name = LessonEndpoints.Tag, Description = "The catalogue of lessons, as data." },
        };
        foreach (var lesson in LessonCatalog.All)
        {
            tags.Add(new OpenApiTag
            {
                Name = lesson.Title,
                Description = $"{lesson.Explanation}\n\n**Recovery:** {lesson.Recovery}\n\n**Follows:** {lesson.Standard}" +
                    (lesson.Recipes.Count > 0
                        ? $"\n\n**Recipes:** [the lesson page]({LessonEndpoints.PagePathOf(lesson.Id)}) runs it in " +
                          string.Join(", ", lesson.Recipes.Select(recipe => recipe.Language)) + "."
                        : ""),
            });
        }

        tags.Add(new OpenApiTag { Name = ProblemEndpoints.Tag, Description = "What each problem `type` means and how to recover." });
        tags.Add(new OpenApiTag { Name = ProgressEndpoints.Tag, Description = "How far your client has got through the lessons, as the server grades it." });
        tags.Add(new OpenApiTag { Name = ClassEndpoints.Tag, Description = ClassEndpoints.TagDescription });
        swaggerDoc.Tags = tags;
    }
}
