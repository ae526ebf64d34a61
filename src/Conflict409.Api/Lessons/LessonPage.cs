using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Conflict409.Api.Lessons;

/// <summary>
/// One lesson as a page: what causes the conflict, the steps, the recovery, and the lesson's recipes side by side,
/// each with the command that runs it and a copy button. Everything from the catalogue is HTML-encoded.
/// </summary>
public static class LessonPage
{
    private const string Style = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 96rem; padding: 0 1rem; color: #1d2330; }
        .muted { color: #5a6272; }
        ol.steps { font: 13px/1.6 ui-monospace, monospace; }
        .recipes { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
        .recipe { border: 1px solid #d5d9e0; border-radius: 6px; display: flex; flex-direction: column; min-width: 0; }
        .recipe header { display: flex; justify-content: space-between; align-items: center; gap: .5rem; padding: .4rem .7rem; background: #f0f2f5; }
        .recipe h3 { font-size: 1rem; margin: 0; }
        .recipe pre { margin: 0; padding: .6rem .7rem; overflow: auto; max-height: 36rem; font: 12px/1.45 ui-monospace, monospace; flex: 1; }
        .recipe .run { padding: .3rem .7rem; border-top: 1px solid #d5d9e0; font: 12px ui-monospace, monospace; }
        code { background: #f0f2f5; padding: 0 .25rem; border-radius: 3px; }
        .recipe pre code { background: none; padding: 0; }
        """;

    // Clipboard API where the page is a secure context (localhost); elsewhere (a LAN address over http) the older
    // select-and-copy, so the button works wherever the class opens the page.
    private const string Script = """
        for (const button of document.querySelectorAll('button.copy')) {
          button.addEventListener('click', async () => {
            const code = button.closest('.recipe').querySelector('pre').textContent;
            try {
              await navigator.clipboard.writeText(code);
            } catch {
              const area = Object.assign(document.createElement('textarea'), { value: code });
              document.body.append(area);
              area.select();
              document.execCommand('copy');
              area.remove();
            }
            button.textContent = 'Copied';
            setTimeout(() => { button.textContent = 'Copy'; }, 1500);
          });
        }
        """;

    public static string Render(Lesson lesson)
    {
        static string Text(string text) => HtmlEncoder.Default.Encode(text);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Text(lesson.Title)} — Conflict409</title>
            <style>{Style}</style>
            </head>
            <body data-lesson="{Text(lesson.Id)}">
            <p class="muted"><a href="/swagger">Swagger UI</a> · <a href="/progress.html">Your progress</a> · <a href="{LessonEndpoints.PathOf(lesson.Id)}">this lesson as JSON</a></p>
            <h1>{Text(lesson.Title)}</h1>
            <p><b>Cause:</b> {Text(lesson.Cause)}</p>
            <p>{Text(lesson.Explanation)}</p>
            <h2>Steps</h2>
            <ol class="steps">
            """);
        foreach (var step in lesson.Requests)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{Text(step)}</li>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ol>\n<p><b>Recovery:</b> {Text(lesson.Recovery)}</p>\n");
        if (lesson.Recipes.Count > 0)
        {
            html.Append("""
                <h2>Recipes</h2>
                <p class="muted">Each program provokes this lesson's conflict and recovers the right way; run it against this server and
                your board shows the lesson recovered. Set <code>CONFLICT409_URL</code> (default http://localhost:5000) and, to see it on
                your own board, <code>CONFLICT409_LEARNER</code>.</p>
                <section class="recipes">

                """);
            foreach (var recipe in lesson.Recipes)
            {
                html.Append(CultureInfo.InvariantCulture, $"""
                    <article class="recipe" data-language="{Text(recipe.Language)}">
                    <header><h3>{Text(recipe.Language)} · {Text(recipe.File)}</h3><button class="copy" type="button">Copy</button></header>
                    <pre><code>{Text(recipe.Code)}</code></pre>
                    <div class="run">{Text(Recipe.RunCommands[recipe.Language])} {Text(recipe.File)}</div>
                    </article>

                    """);
            }

            html.Append("</section>\n");
        }
        else
        {
            html.Append("<p class=\"muted\">This lesson is not graded, so it has no recipes: follow its steps by hand.</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<script>{Script}</script>\n</body>\n</html>\n");
        return html.ToString();
    }
}
