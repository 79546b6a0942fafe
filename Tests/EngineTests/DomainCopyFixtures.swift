/// Domain XML as libvirt 9.0 writes it (`virsh dumpxml --inactive`), for the DomainCopy tests.
enum DomainCopyFixtures {
    /// The tiny test guest that scripts/testhost/define-vm.sh defines, with a qcow2 and a raw disk.
    static let testGuest = """
        <domain type='qemu'>
          <name>guest01</name>
          <uuid>e2bfcc62-e731-4cb1-a6a1-c633b3ed462b</uuid>
          <memory unit='KiB'>262144</memory>
          <currentMemory unit='KiB'>262144</currentMemory>
          <vcpu placement='static'>1</vcpu>
          <os>
            <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
            <kernel>/srv/vmbt/guest01/kernel</kernel>
            <initrd>/srv/vmbt/guest01/initrd.gz</initrd>
            <cmdline>console=ttyS0 quiet panic=-1 ga=off</cmdline>
            <boot dev='hd'/>
          </os>
          <cpu mode='custom' match='exact' check='none'>
            <model fallback='forbid'>qemu64</model>
          </cpu>
          <clock offset='utc'/>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>destroy</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='/srv/vmbt/guest01/disk-a.qcow2'/>
              <target dev='vda' bus='virtio'/>
              <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
            </disk>
            <disk type='file' device='disk'>
              <driver name='qemu' type='raw'/>
              <source file='/srv/vmbt/guest01/disk-b.raw'/>
              <target dev='vdb' bus='virtio'/>
              <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
            </disk>
            <controller type='usb' index='0' model='qemu-xhci'>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </controller>
            <controller type='sata' index='0'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>
            </controller>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='virtio-serial' index='0'>
              <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
            </controller>
            <controller type='pci' index='1' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='1' port='0x8'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0' multifunction='on'/>
            </controller>
            <controller type='pci' index='2' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='2' port='0x9'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/>
            </controller>
            <controller type='pci' index='3' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='3' port='0xa'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>
            </controller>
            <controller type='pci' index='4' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='4' port='0xb'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x3'/>
            </controller>
            <controller type='pci' index='5' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='5' port='0xc'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x4'/>
            </controller>
            <serial type='file'>
              <source path='/srv/vmbt/guest01/guest01.console.log'/>
              <target type='isa-serial' port='0'>
                <model name='isa-serial'/>
              </target>
            </serial>
            <console type='file'>
              <source path='/srv/vmbt/guest01/guest01.console.log'/>
              <target type='serial' port='0'/>
            </console>
            <channel type='unix'>
              <target type='virtio' name='org.qemu.guest_agent.0'/>
              <address type='virtio-serial' controller='0' bus='0' port='1'/>
            </channel>
            <input type='mouse' bus='ps2'/>
            <input type='keyboard' bus='ps2'/>
            <audio id='1' type='none'/>
            <memballoon model='none'/>
          </devices>
        </domain>
        """

    /// A UEFI server with everything a copy must not share: disks on a file, an LV and a pool
    /// volume, an ISO, two interfaces (one on a fixed tap name), file and unix serial ports with
    /// log files, SPICE and VNC on fixed ports, NVRAM, an emulated TPM, a PCI host device, a host
    /// folder, a fixed vsock CID and a static DAC label. Defined in libvirt from a hand-written
    /// XML; the `<tpm>` was added by hand afterwards (the host had no swtpm).
    static let server = """
        <domain type='kvm'>
          <name>web01</name>
          <uuid>6f1d1a52-3c55-4b1e-9b8e-0c1f2a3b4c5d</uuid>
          <genid>1c0f3d8e-7b2a-4a51-9c11-5d4e3f2a1b0c</genid>
          <title>Web server</title>
          <description>Production web server</description>
          <metadata>
            <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
              <libosinfo:os id="http://debian.org/debian/12"/>
            </libosinfo:libosinfo>
          </metadata>
          <memory unit='KiB'>2097152</memory>
          <currentMemory unit='KiB'>2097152</currentMemory>
          <vcpu placement='static'>2</vcpu>
          <sysinfo type='smbios'>
            <system>
              <entry name='manufacturer'>Example</entry>
              <entry name='uuid'>6f1d1a52-3c55-4b1e-9b8e-0c1f2a3b4c5d</entry>
            </system>
          </sysinfo>
          <os>
            <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
            <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>
            <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/libvirt/qemu/nvram/web01_VARS.fd</nvram>
            <smbios mode='sysinfo'/>
          </os>
          <features>
            <acpi/>
            <apic/>
            <smm state='on'/>
          </features>
          <cpu mode='host-passthrough' check='none' migratable='on'/>
          <clock offset='utc'/>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>restart</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' discard='unmap'/>
              <source file='/var/lib/libvirt/images/web01.qcow2'/>
              <target dev='vda' bus='virtio'/>
              <serial>web01-root</serial>
              <boot order='1'/>
              <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/>
            </disk>
            <disk type='block' device='disk'>
              <driver name='qemu' type='raw' cache='none' io='native'/>
              <source dev='/dev/vg0/web01-data'/>
              <target dev='vdb' bus='virtio'/>
              <address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>
            </disk>
            <disk type='volume' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source pool='default' volume='web01-logs.qcow2'/>
              <target dev='vdc' bus='virtio'/>
              <address type='pci' domain='0x0000' bus='0x08' slot='0x00' function='0x0'/>
            </disk>
            <disk type='file' device='disk'>
              <driver name='qemu' type='raw'/>
              <source file='/var/lib/libvirt/images/web01-scratch.img'/>
              <target dev='vdd' bus='virtio'/>
              <address type='pci' domain='0x0000' bus='0x09' slot='0x00' function='0x0'/>
            </disk>
            <disk type='file' device='cdrom'>
              <driver name='qemu' type='raw'/>
              <source file='/srv/iso/debian-12.iso'/>
              <target dev='sda' bus='sata'/>
              <readonly/>
              <address type='drive' controller='0' bus='0' target='0' unit='0'/>
            </disk>
            <controller type='virtio-serial' index='0'>
              <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
            </controller>
            <controller type='usb' index='0' model='qemu-xhci'>
              <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>
            </controller>
            <controller type='sata' index='0'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>
            </controller>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='pci' index='1' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='1' port='0x10'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>
            </controller>
            <controller type='pci' index='2' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='2' port='0x11'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x1'/>
            </controller>
            <controller type='pci' index='3' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='3' port='0x12'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x2'/>
            </controller>
            <controller type='pci' index='4' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='4' port='0x13'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x3'/>
            </controller>
            <controller type='pci' index='5' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='5' port='0x14'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x4'/>
            </controller>
            <controller type='pci' index='6' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='6' port='0x15'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x5'/>
            </controller>
            <controller type='pci' index='7' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='7' port='0x16'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x6'/>
            </controller>
            <controller type='pci' index='8' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='8' port='0x17'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x7'/>
            </controller>
            <controller type='pci' index='9' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='9' port='0x18'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0' multifunction='on'/>
            </controller>
            <controller type='pci' index='10' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='10' port='0x19'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x1'/>
            </controller>
            <controller type='pci' index='11' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='11' port='0x1a'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x2'/>
            </controller>
            <controller type='pci' index='12' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='12' port='0x1b'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x3'/>
            </controller>
            <controller type='pci' index='13' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='13' port='0x1c'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x4'/>
            </controller>
            <filesystem type='mount' accessmode='passthrough'>
              <source dir='/srv/web01-share'/>
              <target dir='share'/>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </filesystem>
            <interface type='network'>
              <mac address='52:54:00:12:34:56'/>
              <source network='default'/>
              <model type='virtio'/>
              <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
            </interface>
            <interface type='bridge'>
              <mac address='52:54:00:ab:cd:ef'/>
              <source bridge='br0'/>
              <target dev='web01-br0'/>
              <model type='virtio'/>
              <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
            </interface>
            <serial type='file'>
              <source path='/var/log/libvirt/qemu/web01-serial.log' append='on'/>
              <log file='/var/log/libvirt/qemu/web01-serial-copy.log' append='off'/>
              <target type='isa-serial' port='0'>
                <model name='isa-serial'/>
              </target>
            </serial>
            <serial type='unix'>
              <source mode='bind' path='/run/web01/serial1.sock'/>
              <target type='isa-serial' port='1'>
                <model name='isa-serial'/>
              </target>
            </serial>
            <console type='file'>
              <source path='/var/log/libvirt/qemu/web01-serial.log' append='on'/>
              <log file='/var/log/libvirt/qemu/web01-serial-copy.log' append='off'/>
              <target type='serial' port='0'/>
            </console>
            <channel type='unix'>
              <target type='virtio' name='org.qemu.guest_agent.0'/>
              <address type='virtio-serial' controller='0' bus='0' port='1'/>
            </channel>
            <channel type='spicevmc'>
              <target type='virtio' name='com.redhat.spice.0'/>
              <address type='virtio-serial' controller='0' bus='0' port='2'/>
            </channel>
            <input type='mouse' bus='ps2'/>
            <input type='keyboard' bus='ps2'/>
            <graphics type='spice' port='5901' autoport='no' listen='127.0.0.1'>
              <listen type='address' address='127.0.0.1'/>
            </graphics>
            <graphics type='vnc' port='5910' autoport='no' websocket='5710' listen='0.0.0.0'>
              <listen type='address' address='0.0.0.0'/>
            </graphics>
            <audio id='1' type='none'/>
            <video>
              <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
            </video>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source>
                <address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
              </source>
              <address type='pci' domain='0x0000' bus='0x0a' slot='0x00' function='0x0'/>
            </hostdev>
            <tpm model='tpm-crb'>
              <backend type='emulator' version='2.0'/>
            </tpm>
            <memballoon model='virtio'>
              <address type='pci' domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
            </memballoon>
            <vsock model='virtio'>
              <cid auto='no' address='42'/>
              <address type='pci' domain='0x0000' bus='0x0c' slot='0x00' function='0x0'/>
            </vsock>
          </devices>
          <seclabel type='static' model='dac' relabel='no'>
            <label>1000:1000</label>
          </seclabel>
        </domain>
        """
}
