export namespace Geometry {
  export namespace Vector {
    export function length(x: number, y: number) {
      return Math.hypot(x, y)
    }
  }
}
