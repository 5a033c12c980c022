export namespace Geometry {
  export namespace Vector {
    export function length(x: number, y: number) {
      return Math.abs(x) + Math.abs(y)
    }
  }
}
