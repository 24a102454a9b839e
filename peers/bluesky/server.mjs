// A real Bluesky server for Bedside's tests and demo: a PLC directory and a PDS
// (the npm packages @did-plc/server and @atproto/pds, unmodified) on loopback.
//
//   node server.mjs [--account HANDLE PASSWORD] [--data-dir DIR] [--json-out FILE]
//
// Env: PORT (PDS port, default 2583), HOST (default 127.0.0.1).
// When ready it prints one JSON line on stdout:
//   {"url", "did", "handle", "password", "app_password", "plc_url"}
// Without --data-dir everything lives in a temporary directory removed on exit;
// with it, accounts (and the PLC operations that back their DIDs) survive restarts,
// so a demo channel that stored the app password keeps working.
import { once } from 'node:events'
import { appendFileSync, existsSync, fstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import plcPackage from '@did-plc/server'
import { PDS, envToCfg, envToSecrets } from '@atproto/pds'

const { Database: PlcDatabase, PlcServer } = plcPackage
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']

function parseArgs(argv) {
  const args = { account: ['bedside.test', 'bedside-peer-pass'], dataDir: null, jsonOut: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--account') {
      args.account = [argv[++i], argv[++i]]
    } else if (a === '--data-dir') {
      args.dataDir = argv[++i]
    } else if (a === '--json-out') {
      args.jsonOut = argv[++i]
    } else {
      throw new Error(`unknown argument: ${a}`)
    }
  }
  if (!args.account[0] || !args.account[1]) throw new Error('--account needs HANDLE PASSWORD')
  return args
}

function listen(app, port, host) {
  const server = app.listen(port, host)
  server.keepAliveTimeout = 90_000
  return once(server, 'listening').then(() => server)
}

// The PLC directory keeps its operations in memory; in persistent mode each accepted
// operation is appended to a log and replayed at the next start, so DIDs resolve again.
async function startPlc(host, stateDir) {
  const db = PlcDatabase.mock()
  if (stateDir) {
    const log = path.join(stateDir, 'plc-ops.jsonl')
    if (existsSync(log)) {
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        if (!line.trim()) continue
        const { did, op } = JSON.parse(line)
        await db.validateAndAddOp(did, op)
      }
    }
    const validateAndAddOp = db.validateAndAddOp.bind(db)
    db.validateAndAddOp = async (did, op) => {
      await validateAndAddOp(did, op)
      appendFileSync(log, JSON.stringify({ did, op }) + '\n')
    }
  }
  const plc = PlcServer.create({ db, port: 0 })
  const server = await listen(plc.app, 0, host)
  // The PDS's DID resolver refuses IP-literal hosts, so it is given a name for loopback.
  const name = host === '127.0.0.1' ? 'localhost' : host
  return { plc, server, url: `http://${name}:${server.address().port}` }
}

// Secrets are random per data directory and kept beside it, so a restarted PDS can
// still read the sessions and keys it issued before.
function loadSecrets(stateDir) {
  const file = stateDir && path.join(stateDir, 'secrets.json')
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'))
  const secrets = {
    jwtSecret: randomBytes(16).toString('hex'),
    dpopSecret: randomBytes(32).toString('hex'),
    adminPassword: randomBytes(16).toString('hex'),
    plcRotationKeyK256PrivateKeyHex: randomBytes(32).toString('hex'),
  }
  if (file) writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 })
  return secrets
}

async function xrpc(base, method, body, token) {
  const headers = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(`${base}/xrpc/${method}`, { method: 'POST', headers, body: JSON.stringify(body) })
  const data = await res.json().catch(() => ({}))
  return { ok: res.ok, status: res.status, data }
}

// Creates the account on first start; later starts log in with the same password and
// reuse the app password saved beside the data.
async function ensureAccount(base, handle, password, stateDir) {
  const file = stateDir && path.join(stateDir, `account-${handle}.json`)
  if (file && existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'))
    const login = await xrpc(base, 'com.atproto.server.createSession', {
      identifier: handle,
      password: saved.app_password,
    })
    if (login.ok && saved.password === password) return { ...saved, url: base }
  }
  const created = await xrpc(base, 'com.atproto.server.createAccount', {
    handle,
    password,
    email: `${handle.split('.')[0]}@bedside.invalid.test`,
  })
  let session = created.data
  if (!created.ok) {
    // Already there (persistent data without the account file): log in instead.
    const login = await xrpc(base, 'com.atproto.server.createSession', { identifier: handle, password })
    if (!login.ok) throw new Error(`createAccount failed: ${created.status} ${JSON.stringify(created.data)}`)
    session = login.data
  }
  const appPassword = await xrpc(
    base,
    'com.atproto.server.createAppPassword',
    { name: `bedside-${Date.now()}` },
    session.accessJwt,
  )
  if (!appPassword.ok) {
    throw new Error(`createAppPassword failed: ${appPassword.status} ${JSON.stringify(appPassword.data)}`)
  }
  const account = {
    url: base,
    did: session.did,
    handle: session.handle,
    password,
    app_password: appPassword.data.password,
  }
  if (file) writeFileSync(file, JSON.stringify(account), { mode: 0o600 })
  return account
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const host = process.env.HOST || '127.0.0.1'
  const port = Number(process.env.PORT || 2583)

  const temporary = !args.dataDir
  const dataDir = args.dataDir ? path.resolve(args.dataDir) : mkdtempSync(path.join(tmpdir(), 'bedside-pds-'))
  mkdirSync(dataDir, { recursive: true })
  const stateDir = temporary ? null : dataDir
  if (temporary) process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  // Until the servers are up, a signal simply exits (the exit hook removes the data).
  const early = () => process.exit(0)
  for (const signal of SIGNALS) process.on(signal, early)

  const plc = await startPlc(host, stateDir)
  const secrets = loadSecrets(stateDir)
  const env = {
    port,
    hostname: 'localhost',
    devMode: true,
    version: '0.0.0-bedside',
    dataDirectory: dataDir,
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
    didPlcUrl: plc.url,
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    rateLimitsEnabled: false,
    crawlers: [],
    ...secrets,
  }
  const pds = await PDS.create(envToCfg(env), envToSecrets(env))
  // PDS.start() listens on every interface; start the same pieces on loopback only.
  await pds.ctx.sequencer.start()
  const server = await listen(pds.app, port, host)
  const base = `http://${host}:${port}`

  let stopping = false
  const stop = async (code) => {
    if (stopping) return
    stopping = true
    server.closeAllConnections()
    plc.server.closeAllConnections()
    await Promise.allSettled([
      new Promise((resolve) => server.close(resolve)),
      new Promise((resolve) => plc.server.close(resolve)),
    ])
    await pds.ctx.destroy().catch(() => {})
    process.exit(code)
  }
  for (const signal of SIGNALS) {
    process.off(signal, early)
    process.on(signal, () => stop(0))
  }
  // A parent that holds our stdin as a pipe and dies without a signal closes it: stop too.
  if (fstatSync(0).isFIFO()) {
    process.stdin.on('end', () => stop(0))
    process.stdin.resume()
  }

  const [handle, password] = args.account
  const account = await ensureAccount(base, handle, password, stateDir)
  // Node's own start and module loading included: what a caller waits for.
  const ready = { ...account, plc_url: plc.url, startup_ms: Math.round(process.uptime() * 1000) }
  if (args.jsonOut) {
    writeFileSync(args.jsonOut, JSON.stringify(ready) + '\n', { mode: 0o600 })
    // A login file left behind would announce a server that is gone.
    process.on('exit', () => rmSync(args.jsonOut, { force: true }))
  }
  process.stdout.write(JSON.stringify(ready) + '\n')
}

main().catch((err) => {
  process.stderr.write(`bluesky peer failed: ${err?.stack || err}\n`)
  process.exit(1)
})
