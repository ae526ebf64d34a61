using Conflict409.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

public static class ProgressSetup
{
    public static IServiceCollection AddProgress(this IServiceCollection services)
    {
        services.AddValidatedOptions<ProgressOptions>(ProgressOptions.SectionName);
        services.AddSingleton<ProgressRecorder>();
        services.AddSingleton<ProgressBoards>();
        services.AddHostedService<ProgressGrader>();

        // Every problem passes through the problem details service: note it there for the recorder, which then
        // reads its type and extensions without parsing the body.
        services.AddOptions<ProblemDetailsOptions>().PostConfigure<IOptions<ProgressOptions>>((options, progress) =>
        {
            if (!progress.Value.Enabled)
            {
                return;
            }

            var customize = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                context.HttpContext.Features.Set(new SentProblemFeature(context.ProblemDetails));
            };
        });
        services.ConfigureSwaggerGen(options => options.OperationFilter<LearnerHeaderOperationFilter>());
        return services;
    }

    /// <summary>Records every request's outcome for grading; put it before anything that may answer for an endpoint (the rate limiter).</summary>
    public static WebApplication UseProgress(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProgressOptions>>().Value.Enabled)
        {
            app.Use(app.Services.GetRequiredService<ProgressRecorder>().Observe);
        }

        return app;
    }
}
