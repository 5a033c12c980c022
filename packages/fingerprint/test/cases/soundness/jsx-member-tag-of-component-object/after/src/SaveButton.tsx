import { Ui } from './ui'

export function SaveButton() {
  return <Ui.Button kind="primary"><Ui.Icon name="save" /> Save</Ui.Button>
}
