using Microsoft.AspNetCore.Http.Metadata;

namespace Conflict409.Api.Lessons;

public static class LessonTags
{
    /// <summary>
    /// Tags every endpoint mapped under <paramref name="builder"/> with the titles of the lessons that name it in
    /// <see cref="Lesson.Endpoints"/>. The tags are added to any the endpoint already has: Swashbuckle keeps only
    /// an endpoint's last tag list, so a second <c>WithTags</c> would replace the first instead of adding to it.
    /// </summary>
    public static TBuilder WithLessonTags<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        // Finally: after the endpoint's own conventions, so its name and tags are known.
        builder.Finally(endpoint =>
        {
            var name = endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
            string[] lessons = [.. LessonCatalog.All.Where(lesson => lesson.Endpoints.Contains(name)).Select(lesson => lesson.Title)];
            if (lessons.Length == 0)
            {
                return;
            }

            var own = endpoint.Metadata.OfType<ITagsMetadata>().LastOrDefault()?.Tags ?? [];
            endpoint.Metadata.Add(new TagsAttribute([.. own.Union(lessons)]));
        });
        return builder;
    }
}
