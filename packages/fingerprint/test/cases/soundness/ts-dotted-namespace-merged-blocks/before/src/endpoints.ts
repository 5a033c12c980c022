namespace App.Config {
  export const apiVersion = 1
}

namespace App.Config {
  export const prefix = '/api'
}

export function endpoint(path: string) {
  return `${App.Config.prefix}/v${App.Config.apiVersion}${path}`
}
