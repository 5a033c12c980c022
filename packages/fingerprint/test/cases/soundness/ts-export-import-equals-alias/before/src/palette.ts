namespace Theme {
  export namespace Colors {
    export const accent = '#ff4081'
  }
}

export import Colors = Theme.Colors

export function accent() {
  return Colors.accent
}
