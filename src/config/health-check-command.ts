/**
 * The container health check meshform gives an app by default. The service images are Node images
 * without curl, so the check is a Node one-liner: exit 0 on HTTP 200 within 2 s, else 1.
 */
export function nodeHealthCheckCommand(port: number, path: string): string[] {
  const script =
    `require("http").get({host:"127.0.0.1",port:${port},path:${JSON.stringify(path)},timeout:2000},` +
    `r=>process.exit(r.statusCode===200?0:1)).on("error",()=>process.exit(1)).on("timeout",()=>process.exit(1))`;
  return ["CMD", "node", "-e", script];
}
