/**
 * A small self-contained GraphQL explorer (no CDN, works offline): it runs an introspection query
 * to list the schema's operations and types with their descriptions, and sends queries with the
 * local API key prefilled. Served on GET of the API URL.
 */

// JSON inside a <script> element: `<` must not open a tag.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

const script = `
const $ = (id) => document.getElementById(id)
const send = async (query, variables) => {
  const response = await fetch(location.pathname.endsWith('/graphql') ? location.pathname : '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': $('key').value },
    body: JSON.stringify({ query, variables }),
  })
  return { status: response.status, body: await response.json() }
}
const typeName = (t) => (t.kind === 'NON_NULL' ? typeName(t.ofType) + '!' : t.kind === 'LIST' ? '[' + typeName(t.ofType) + ']' : t.name)
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e }
async function loadSchema() {
  const { status, body } = await send('{ __schema { queryType { name } mutationType { name } types { name kind description fields { name description args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } enumValues { name description } } } }', {})
  const docs = $('docs')
  docs.textContent = ''
  if (status !== 200 || !body.data) { docs.append(el('p', 'Introspection failed (' + status + '): check the API key.', 'error')); return }
  const types = body.data.__schema.types.filter((t) => !t.name.startsWith('__') && !['String', 'Boolean', 'Int', 'Float', 'ID'].includes(t.name))
  for (const t of types) {
    const section = el('section')
    section.append(el('h3', t.name + ' (' + t.kind.toLowerCase() + ')'))
    if (t.description) section.append(el('p', t.description, 'description'))
    for (const f of t.fields ?? []) {
      const args = f.args.length ? '(' + f.args.map((a) => a.name + ': ' + typeName(a.type)).join(', ') + ')' : ''
      section.append(el('code', f.name + args + ': ' + typeName(f.type)))
      if (f.description) section.append(el('p', f.description, 'description'))
    }
    for (const v of t.enumValues ?? []) section.append(el('code', v.name))
    docs.append(section)
  }
}
$('run').addEventListener('click', async () => {
  let variables = {}
  try { variables = $('variables').value.trim() ? JSON.parse($('variables').value) : {} } catch { $('result').textContent = 'Variables are not valid JSON.'; return }
  $('result').textContent = 'Sending...'
  const { status, body } = await send($('query').value, variables)
  $('result').textContent = 'HTTP ' + status + '\\n' + JSON.stringify(body, null, 2)
})
$('reload').addEventListener('click', loadSchema)
loadSchema()
`

/** The explorer page, with the API key filled in. */
export function explorerPage(apiKey: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL explorer (local AppSync)</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: minmax(280px, 1fr) 2fr; height: 100vh; }
aside { overflow: auto; padding: 1rem; border-right: 1px solid #ccc; background: #f7f7f7; }
main { display: flex; flex-direction: column; gap: .5rem; padding: 1rem; overflow: auto; }
textarea, input { font: 13px ui-monospace, monospace; width: 100%; box-sizing: border-box; }
code { display: block; margin-top: .4rem; } .description { color: #555; margin: .1rem 0 .3rem 1rem; } .error { color: #b00020; }
pre { background: #111; color: #eee; padding: 1rem; min-height: 10rem; white-space: pre-wrap; }
</style>
</head>
<body>
<aside><h2>Schema</h2><button id="reload" type="button">Reload schema</button><div id="docs"></div></aside>
<main>
<label>API key (x-api-key) <input id="key" autocomplete="off"></label>
<label>Query <textarea id="query" rows="12">mutation Request {\n  requestOtp(email: "you@example.com") { sessionId expiresAt codeLength maxAttempts resendAvailableAt }\n}</textarea></label>
<label>Variables (JSON) <textarea id="variables" rows="4">{}</textarea></label>
<button id="run" type="button">Run</button>
<pre id="result" aria-live="polite"></pre>
</main>
<script>document.getElementById('key').value = ${scriptJson(apiKey)}</script>
<script type="module">${script}</script>
</body>
</html>`
}
