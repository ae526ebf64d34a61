namespace Conflict409.Api.Progress;

/// <summary>
/// The class view page: one table, a row per learner and a column per lesson, redrawn on every 'class' event of
/// /progress/class/events, so the teacher watches the class without reloading. Everything from the server is
/// inserted as text, never as HTML.
/// </summary>
public static class ClassPage
{
    public const string Html = $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Conflict409 — the class</title>
        <style>
          body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1d2330; }
          h1 { margin-bottom: .2rem; }
          .muted { color: #5a6272; }
          table { border-collapse: collapse; margin-top: 1rem; }
          th, td { border: 1px solid #d5d9e0; padding: .35rem .6rem; text-align: left; }
          thead th { font-size: .8rem; vertical-align: bottom; max-width: 9rem; }
          td.lesson { text-align: center; white-space: nowrap; min-width: 5.5rem; }
          td[data-state="not-started"] { background: #f4f5f7; color: #5a6272; }
          td[data-state="conflict-seen"] { background: #fff4d6; }
          td[data-state="recovered"] { background: #dff3e5; }
          td[data-state="not-graded"] { background: #fff; color: #b8bec9; }
          .mistakes { color: #b3261e; font-weight: 600; }
          .legend span { display: inline-block; padding: 0 .5rem; margin-right: .4rem; border-radius: 3px; }
          code { background: #f0f2f5; padding: 0 .25rem; border-radius: 3px; }
        </style>
        </head>
        <body>
        <h1>The class</h1>
        <p class="muted">Every learner on this server, as the server grades their clients. A learner is the name in its
          <code>{{Learner.HeaderName}}</code> header, or its address. Click a learner for its own board.</p>
        <p class="legend muted"><span style="background:#f4f5f7">not started</span><span style="background:#fff4d6">conflict seen</span><span
          style="background:#dff3e5">recovered</span><span class="mistakes">⚠ n</span> mistakes</p>
        <p id="summary" class="muted">Connecting…</p>
        <table id="class">
          <thead><tr id="columns"></tr></thead>
          <tbody id="learners"></tbody>
        </table>
        <script>
        const labels = { 'not-started': '–', 'conflict-seen': 'conflict seen', 'recovered': 'recovered', 'not-graded': '' };

        function element(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined) node.textContent = text;
          if (className) node.className = className;
          return node;
        }

        function render(view) {
          document.body.dataset.version = view.version;
          const full = view.learners.length >= view.maxLearners ? ' (the most this server keeps)' : '';
          document.getElementById('summary').textContent = (view.recording ? '' : 'Recording is switched off on this server. ') +
            view.learners.length + ' learner(s)' + full + '.';
          const columns = [element('th', 'Learner'), ...view.lessons.map(lesson => {
            const th = element('th', lesson.title);
            th.dataset.lesson = lesson.id;
            return th;
          })];
          document.getElementById('columns').replaceChildren(...columns);
          document.getElementById('learners').replaceChildren(...view.learners.map(row => {
            const tr = element('tr');
            tr.dataset.learner = row.learner;
            const who = element('td');
            const link = element('a', row.learner);
            link.href = '/progress.html?learner=' + encodeURIComponent(row.learner);
            who.append(link);
            if (row.identifiedBy === 'address') who.append(element('span', ' (address)', 'muted'));
            tr.append(who);
            for (const cell of row.lessons) {
              const td = element('td', labels[cell.state], 'lesson');
              td.dataset.lesson = cell.id;
              td.dataset.state = cell.state;
              td.dataset.mistakes = cell.mistakes;
              if (cell.mistakes > 0) td.append(' ', element('span', '⚠ ' + cell.mistakes, 'mistakes'));
              tr.append(td);
            }
            return tr;
          }));
        }

        const source = new EventSource('/progress/class/events');
        source.addEventListener('{{ClassEndpoints.ClassEventType}}', message => render(JSON.parse(message.data)));
        source.onerror = () => { document.getElementById('summary').textContent = 'Reconnecting…'; };
        </script>
        </body>
        </html>
        """;
}
