namespace Api {
  export namespace Http {
    export enum Status { Ok = 200, NotFound = 404 }
  }
}

import Http = Api.Http

export function isOk(code: number) {
  return code === Http.Status.Ok
}
