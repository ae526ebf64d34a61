using Conflict409.Api.Lessons;

namespace Conflict409.Api.Progress;

/// <summary>
/// The live board: one page that listens to /progress/events and redraws on every 'board' event, so it changes
/// while the learner works, without reloading. Everything from the server is inserted as text, never as HTML.
/// </summary>
public static class ProgressPage
{
    public const string Html = $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Conflict409 — your progress</title>
        <style>
          body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d2330; }
          h1 { margin-bottom: .2rem; }
          .muted { color: #5a6272; }
          form, .actions { display: inline-flex; gap: .5rem; align-items: center; margin: .5rem 1rem .5rem 0; }
          .lesson { border: 1px solid #d5d9e0; border-left-width: 6px; border-radius: 6px; padding: .6rem 1rem; margin: .7rem 0; }
          .lesson[data-state="not-started"] { border-left-color: #b8bec9; }
          .lesson[data-state="conflict-seen"] { border-left-color: #e0a100; }
          .lesson[data-state="recovered"] { border-left-color: #2e9d4f; }
          .lesson[data-state="not-graded"] { border-left-color: #e8eaee; color: #5a6272; }
          .lesson h2 { font-size: 1.05rem; margin: 0; display: flex; justify-content: space-between; gap: 1rem; }
          .state { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
          .mistake { background: #fff3f0; border-radius: 4px; padding: .3rem .6rem; margin: .4rem 0; }
          .mistake b { color: #b3261e; }
          ol#events { font: 13px/1.5 ui-monospace, monospace; padding-left: 1.5rem; }
          code { background: #f0f2f5; padding: 0 .25rem; border-radius: 3px; }
        </style>
        </head>
        <body>
        <h1>Your client's progress</h1>
        <p class="muted">The server grades every request your client sends. Send <code>{{Learner.HeaderName}}: your-name</code>
          with each request (or nothing: you are then your address), and watch each lesson move from
          <i>not started</i> to <i>conflict seen</i> to <i>recovered</i>. Lessons are explained in <a href="/swagger">Swagger UI</a>.</p>
        <form id="choose">
          <label>Learner <input id="learner" name="learner" maxlength="64" placeholder="your address"></label>
          <button type="submit">Show</button>
        </form>
        <span class="actions"><button id="reset" type="button">Reset this board</button></span>
        <p id="who" class="muted">Connecting…</p>
        <section id="lessons"></section>
        <h2>Recent requests</h2>
        <ol id="events"></ol>
        <script>
        const learner = new URLSearchParams(location.search).get('learner');
        document.getElementById('learner').value = learner ?? '';
        const query = learner ? '?learner=' + encodeURIComponent(learner) : '';
        const labels = { 'not-started': 'not started', 'conflict-seen': 'conflict seen', 'recovered': 'recovered', 'not-graded': 'not graded' };

        function element(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined) node.textContent = text;
          if (className) node.className = className;
          return node;
        }

        function render(board) {
          document.body.dataset.version = board.version;
          document.getElementById('who').textContent = (board.recording ? '' : 'Recording is switched off on this server. ') +
            'Board of ' + board.learner + ' (known by ' + board.identifiedBy + ').';
          const lessons = board.lessons.map(lesson => {
            const card = element('article', undefined, 'lesson');
            card.dataset.lesson = lesson.id;
            card.dataset.state = lesson.state;
            const title = element('h2');
            title.append(element('span', lesson.title), element('span', labels[lesson.state], 'state'));
            card.append(title);
            const page = element('a', 'Lesson page and recipes', 'recipes');
            page.href = '{{LessonEndpoints.ListPath}}/' + encodeURIComponent(lesson.id) + '{{LessonEndpoints.PageSuffix}}';
            card.append(page);
            if (lesson.state !== 'not-graded') {
              card.append(element('div', lesson.conflicts + ' conflict(s) provoked, ' + lesson.recoveries + ' recovery(ies).', 'muted'));
            }
            if (lesson.state === 'conflict-seen') card.append(element('div', 'To recover: ' + lesson.recovery));
            for (const mistake of lesson.mistakes) {
              const box = element('div', undefined, 'mistake');
              box.dataset.mistake = mistake.id;
              box.append(element('b', mistake.title + ' ×' + mistake.count), element('div', 'Fix: ' + mistake.fix));
              card.append(box);
            }
            return card;
          });
          document.getElementById('lessons').replaceChildren(...lessons);
          document.getElementById('events').replaceChildren(...board.events.slice().reverse().map(event =>
            element('li', new Date(event.at).toLocaleTimeString() + '  ' + event.request + ' → ' + event.status +
              (event.problemType ? ' ' + event.problemType : '') +
              (event.judgements.length ? '  [' + event.judgements.join(', ') + ']' : ''))));
        }

        const source = new EventSource('/progress/events' + query);
        source.addEventListener('board', message => render(JSON.parse(message.data)));
        source.onerror = () => { document.getElementById('who').textContent = 'Reconnecting…'; };
        document.getElementById('reset').addEventListener('click', () =>
          fetch('/progress', { method: 'DELETE', headers: learner ? { '{{Learner.HeaderName}}': learner } : {} }));
        </script>
        </body>
        </html>
        """;
}
