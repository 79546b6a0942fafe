import APIModel
import Foundation
import Logging

extension BackupEngine {
    /// Tells the webhook and mail addresses of the VM's policy that one of its jobs ended, when
    /// the policy asks to be told of that ending (`notify_on`).
    func notify(jobEnded task: TaskInfo, step: String?) async {
        let settings = self.settings
        guard let policy = settings.policy(forVM: task.vm, uuid: task.vmUUID ?? ""),
            Notifier.wants(policy.notify, task.state)
        else { return }
        let notice = JobNotice(
            event: "\(task.kind).\(task.state.rawValue)", host: identity.host, vm: task.vm,
            vmUUID: task.vmUUID, policy: policy.name, taskID: task.id, kind: task.kind, state: task.state, step: step,
            error: task.error, backupID: task.result?.id, target: task.result?.target, started: task.started,
            finished: task.finished)
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(task.id)"
        logger[metadataKey: "vm.name"] = "\(task.vm)"
        await Notifier(sendmailPath: settings.sendmailPath).send(notice, to: policy.notify, logger: logger)
    }
}
