import React from './mini-react'

export function Hello({ name }: { name: string }) {
  return <h2 title={name}>Hello {name}</h2>
}
