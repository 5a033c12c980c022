import { createServer } from 'node:http'
import { page, rows } from './render.ts'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

createServer((req, res) => {
  rows().then((list) => {
    if (req.url === '/data.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list))
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(list))
  }, (error: unknown) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
  })
}).listen(port, host, () => console.log(`node-ssr listening on http://${host}:${port}/`))
