import type { FunctionRecord } from '../../common/model/function.ts'
import { Dialog } from './dialog.tsx'
import { PublishDialog } from './publish-dialog.tsx'
import { QueueList } from './queue-list.tsx'
import { ServersPanel } from './servers-panel.tsx'

export type SyncDialog = null | 'publish' | 'servers' | 'queue'

interface Props {
  dialog: SyncDialog
  onDialog(dialog: SyncDialog): void
  fn: FunctionRecord | null
  defaultServerId: string | null
  onPulled(fn: FunctionRecord): void
}

/** The one sync dialog open at a time: publish, server connections, or the offline queue. */
export function SyncDialogs({ dialog, onDialog, fn, defaultServerId, onPulled }: Props) {
  const close = () => onDialog(null)
  if (dialog === 'servers')
    return (
      <Dialog label="Servers" onClose={close}>
        <ServersPanel />
      </Dialog>
    )
  if (dialog === 'queue')
    return (
      <Dialog label="Pending publishes" onClose={close}>
        <QueueList />
      </Dialog>
    )
  if (dialog === 'publish' && fn) return <PublishDialog fn={fn} defaultServerId={defaultServerId} onClose={close} onPulled={onPulled} onManageServers={() => onDialog('servers')} />
  return null
}
