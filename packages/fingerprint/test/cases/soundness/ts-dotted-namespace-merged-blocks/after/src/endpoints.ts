namespace App.Config {
  export const apiVersion = 2
}

namespace App.Config {
  export const prefix = '/api'
}

export function endpoint(path: string) {
  return `${App.Config.prefix}/v${App.Config.apiVersion}${path}`
}
