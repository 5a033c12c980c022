namespace Theme {
  export namespace Colors {
    export const accent = '#7c4dff'
  }
}

export import Colors = Theme.Colors

export function accent() {
  return Colors.accent
}
