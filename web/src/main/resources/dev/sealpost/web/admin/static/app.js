// Sealpost web admin: plain JavaScript over the admin API (/api/v1) with the cookie session.
// Every state-changing request carries the session's CSRF token in X-CSRF-Token. Data from the
// server is only ever put into the page as text (textContent), never as HTML.
'use strict';

const state = { csrf: null, address: null, role: null };
const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function show(id, visible) { $(id).classList.toggle('hidden', !visible); }
function status(text, isError) { const s = $('status'); s.textContent = text || ''; s.className = isError ? 'error' : ''; }

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const r = await fetch('/api/v1' + path, init);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (r.status === 401) { loggedOut(); throw new Error('session ended: log in again'); }
  if (!r.ok) throw new Error((data && data.message) || ('HTTP ' + r.status));
  return data;
}

// ------------------------------------------------------------ session

function loggedOut() {
  state.csrf = null;
  show('app', false); show('logout', false); show('login-view', true);
  $('who').textContent = '';
}

function loggedIn(s) {
  state.csrf = s.csrf; state.address = s.address; state.role = s.role;
  $('who').textContent = s.address + ' (' + s.role + ')';
  show('login-view', false); show('app', true); show('logout', true);
  view('dashboard');
}

async function checkSession() {
  const r = await fetch('/admin/session', { credentials: 'same-origin' });
  if (r.ok) loggedIn(await r.json()); else loggedOut();
}

async function login(ev) {
  ev.preventDefault();
  $('login-error').textContent = '';
  const form = new URLSearchParams();
  form.set('address', $('login-address').value);
  form.set('password', $('login-password').value);
  form.set('totp', $('login-totp').value);
  const r = await fetch('/admin/login', { method: 'POST', body: form, credentials: 'same-origin' });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  $('login-password').value = '';
  if (r.ok) { $('login-totp').value = ''; loggedIn(data); return; }
  $('login-error').textContent = (data && data.message) || ('login failed: HTTP ' + r.status);
  if (data && data.error === 'totp_required') $('login-totp').focus();
}

async function logout() {
  await fetch('/admin/logout', { method: 'POST', headers: { 'X-CSRF-Token': state.csrf }, credentials: 'same-origin' });
  loggedOut();
}

// ------------------------------------------------------------ views

const loaders = { dashboard: loadDashboard, domains: loadDomains, accounts: loadAccounts, queue: loadQueue, trace: async () => {} };

function view(name) {
  document.querySelectorAll('.view').forEach((v) => v.classList.add('hidden'));
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.dataset.view === name));
  show(name + '-view', true);
  status('');
  loaders[name]().catch((e) => status(e.message, true));
}

function queueState(m) {
  if (m.held) return 'held';
  const states = [...new Set((m.recipients || []).map((r) => r.state))];
  return states.join(', ') || 'queued';
}

function age(iso) {
  if (!iso) return '–';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 120) return Math.round(s) + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

async function loadDashboard() {
  const [q, d, a] = await Promise.all([api('GET', '/queue?limit=1000'), api('GET', '/domains'), api('GET', '/accounts')]);
  const msgs = q.messages;
  $('dash-queue').textContent = msgs.length;
  $('dash-held').textContent = msgs.filter((m) => m.held).length;
  const oldest = msgs.map((m) => m.received_at).filter(Boolean).sort()[0];
  $('dash-oldest').textContent = age(oldest);
  $('dash-domains').textContent = d.domains.length;
  $('dash-accounts').textContent = a.accounts.length;
  const counts = {};
  msgs.forEach((m) => { const s = queueState(m); counts[s] = (counts[s] || 0) + 1; });
  const chart = $('dash-chart');
  chart.replaceChildren();
  const max = Math.max(1, ...Object.values(counts));
  const keys = Object.keys(counts);
  if (keys.length === 0) chart.appendChild(el('p', 'The queue is empty.'));
  keys.forEach((k) => {
    const row = el('div', null, 'row');
    row.appendChild(el('span', k, 'label'));
    const bar = el('span', null, 'bar');
    bar.style.width = (counts[k] / max * 60) + '%';
    row.appendChild(bar);
    row.appendChild(el('span', counts[k]));
    chart.appendChild(row);
  });
}

async function loadDomains() {
  const d = await api('GET', '/domains');
  const tbody = $('domain-list');
  tbody.replaceChildren();
  d.domains.forEach((x) => {
    const tr = el('tr');
    tr.appendChild(el('td', x.name));
    const td = el('td');
    const b = el('button', 'DNS records', 'small');
    b.type = 'button';
    b.id = 'dns-' + x.name;
    b.addEventListener('click', () => showDns(x.name).catch((e) => status(e.message, true)));
    td.appendChild(b);
    tr.appendChild(td);
    tbody.appendChild(tr);
  });
}

async function showDns(name) {
  const d = await api('GET', '/domains/' + encodeURIComponent(name));
  $('dns-title').textContent = 'DNS records for ' + d.name;
  $('dns-records').textContent = d.dns_records;
  show('domain-detail', true);
}

async function addDomain(ev) {
  ev.preventDefault();
  const name = $('domain-name').value.trim();
  try {
    await api('POST', '/domains', { name, dkim: $('domain-dkim').checked });
    $('domain-name').value = '';
    status('Added ' + name);
    await loadDomains();
    await showDns(name.toLowerCase());
  } catch (e) { status(e.message, true); }
}

async function loadAccounts() {
  const a = await api('GET', '/accounts');
  const tbody = $('account-list');
  tbody.replaceChildren();
  a.accounts.forEach((x) => {
    const tr = el('tr');
    tr.appendChild(el('td', x.address));
    tr.appendChild(el('td', Math.round(x.used_bytes / 1024) + ' KiB / ' + (x.quota_bytes ? Math.round(x.quota_bytes / 1048576) + ' MiB' : 'unlimited')));
    tr.appendChild(el('td', x.roles));
    tbody.appendChild(tr);
  });
}

async function addAccount(ev) {
  ev.preventDefault();
  const address = $('account-address').value.trim();
  const pw = $('account-password').value;
  const body = pw ? { address, password: pw } : { address, generate_password: true };
  $('account-generated').textContent = '';
  try {
    const r = await api('POST', '/accounts', body);
    $('account-address').value = ''; $('account-password').value = '';
    status('Added ' + r.account.address);
    if (r.generated_password) $('account-generated').textContent = 'Password for ' + r.account.address + ' (shown once): ' + r.generated_password;
    await loadAccounts();
  } catch (e) { status(e.message, true); }
}

async function loadQueue() {
  const q = await api('GET', '/queue');
  const tbody = $('queue-list');
  tbody.replaceChildren();
  if (q.messages.length === 0) { const tr = el('tr'); const td = el('td', 'The queue is empty.'); td.colSpan = 5; tr.appendChild(td); tbody.appendChild(tr); }
  q.messages.forEach((m) => {
    const tr = el('tr');
    tr.id = 'queue-' + m.id;
    tr.appendChild(el('td', m.id));
    tr.appendChild(el('td', m.from || '<>'));
    tr.appendChild(el('td', (m.recipients || []).map((r) => r.address).join(', ')));
    tr.appendChild(el('td', queueState(m), m.held ? 'held state' : 'state'));
    const td = el('td');
    const action = m.held ? 'release' : 'hold';
    const b = el('button', m.held ? 'Release' : 'Hold', 'small');
    b.type = 'button';
    b.id = action + '-' + m.id;
    b.addEventListener('click', async () => {
      try { await api('POST', '/queue/' + m.id + '/' + action); status((m.held ? 'Released ' : 'Held ') + m.id); await loadQueue(); } catch (e) { status(e.message, true); }
    });
    td.appendChild(b);
    tr.appendChild(td);
    tbody.appendChild(tr);
  });
}

async function trace(ev) {
  ev.preventDefault();
  const v = $('trace-query').value.trim();
  const param = /^[0-9]+$/.test(v) ? 'queue_id=' + v : 'message_id=' + encodeURIComponent(v);
  const out = $('trace-result');
  out.replaceChildren();
  try {
    const r = await api('GET', '/trace?' + param);
    if (r.traces.length === 0) out.appendChild(el('p', 'No message found.'));
    r.traces.forEach((t) => {
      out.appendChild(el('h3', 'Queue id ' + t.queue_id + ' from ' + (t.from || '<>') + ', ' + t.received_at));
      const table = el('table');
      const body = el('tbody');
      t.events.forEach((e) => {
        const tr = el('tr');
        tr.appendChild(el('td', e.at));
        tr.appendChild(el('td', e.type));
        tr.appendChild(el('td', e.address || ''));
        tr.appendChild(el('td', [e.detail, e.remote_mta].filter(Boolean).join(' ')));
        body.appendChild(tr);
      });
      table.appendChild(body);
      out.appendChild(table);
    });
  } catch (e) { status(e.message, true); }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => view(b.dataset.view)));
  $('domain-form').addEventListener('submit', addDomain);
  $('account-form').addEventListener('submit', addAccount);
  $('queue-refresh').addEventListener('click', () => loadQueue().catch((e) => status(e.message, true)));
  $('trace-form').addEventListener('submit', trace);
  checkSession();
});
