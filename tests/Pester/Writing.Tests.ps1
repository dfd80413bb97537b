# What Export-Submission guarantees about the file it writes: it appears only when complete, nothing is replaced
# without -Force (not even a file that appeared while it was written), a link is written through, an existing
# file keeps its permissions, and only a regular file is ever replaced. Any write error is FileWriteFailed with
# no temporary file left behind.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ChildProcess.ps1')
    Import-ModuleUnderTest
    $script:Detections = @(Import-Detection (Join-Path $DataRoot 'case-a/model1.json') | Where-Object { $_.Width -gt 0 -and $_.Height -gt 0 })
    $script:Expected = Join-Path (New-TestFolder) 'expected.json'
    $Detections | Export-Submission $Expected
    # Nothing but the named files may be left in the folder: no hidden temporary file.
    function Assert-OnlyFiles([string] $Folder, [string[]] $Names) {
        @(Get-ChildItem -LiteralPath $Folder -Force | ForEach-Object Name | Sort-Object) | Should -Be @($Names | Sort-Object)
    }
}

AfterAll { Remove-Item -LiteralPath (Split-Path $script:Expected) -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'No clobber at the moment of writing' {
    BeforeEach {
        $dir = New-TestFolder
        $target = Join-Path $dir 'submission.json'
    }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'a file that appears while the submission is written is left as it is: FileExists' {
        $d = $Detections
        $e = { & { $d | Select-Object -First 10; Set-Content -LiteralPath $target 'appeared meanwhile'; $d | Select-Object -Skip 10 } |
                Export-Submission $target -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.TargetObject | Should -Be $target
        "$e" | Should -BeLike "*'$target' appeared while the submission was being written*-Force*"
        Get-Content -LiteralPath $target | Should -Be 'appeared meanwhile'
        Assert-OnlyFiles $dir 'submission.json'
    }

    It 'with -Force, such a file is replaced' {
        $d = $Detections
        & { $d | Select-Object -First 10; Set-Content -LiteralPath $target 'appeared meanwhile'; $d | Select-Object -Skip 10 } | Export-Submission $target -Force
        (Get-FileHash -LiteralPath $target).Hash | Should -Be (Get-FileHash -LiteralPath $Expected).Hash
        Assert-OnlyFiles $dir 'submission.json'
    }

    It 'of two exports to one new target without -Force, the second to finish fails' {
        $first = [powershell]::Create()
        $null = $first.AddScript({
                param($Module, $Detections, $Target, $Signal, $Go)
                Import-Module $Module
                & { $Detections | Select-Object -First 10; $null = $Signal.Set(); $null = $Go.WaitOne(60000); $Detections | Select-Object -Skip 10 } | Export-Submission $Target
            }).AddArgument($ModulePath).AddArgument($Detections).AddArgument($target)
        $signal = [System.Threading.ManualResetEvent]::new($false)
        $go = [System.Threading.ManualResetEvent]::new($false)
        $null = $first.AddArgument($signal).AddArgument($go)
        $handle = $first.BeginInvoke()
        try {
            $signal.WaitOne(60000) | Should -BeTrue
            $Detections | Select-Object -First 5 | Export-Submission $target # the second export starts later and finishes first
            $null = $go.Set()
            $null = $handle.AsyncWaitHandle.WaitOne(60000)
            $null = $first.EndInvoke($handle)
            @($first.Streams.Error.FullyQualifiedErrorId) | Should -Be 'FileExists,BoxFusion.Commands.ExportSubmissionCommand'
            @(Import-Detection $target).Count | Should -Be 5
            Assert-OnlyFiles $dir 'submission.json'
        }
        finally { $first.Dispose(); $signal.Dispose(); $go.Dispose() }
    }
}

Describe 'Links, permissions and hard links' -Skip:$IsWindows {
    BeforeEach {
        $dir = New-TestFolder
        $real = Join-Path $dir 'real.json'
        $link = Join-Path $dir 'link.json'
    }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'a symbolic link is written through: the link stays a link, the file it points at gets the submission' {
        Set-Content -LiteralPath $real 'earlier'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $real
        { $Detections | Export-Submission $link -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,BoxFusion.Commands.ExportSubmissionCommand'
        Get-Content -LiteralPath $real | Should -Be 'earlier'
        $Detections | Export-Submission $link -Force
        (Get-Item -LiteralPath $link).LinkType | Should -Be 'SymbolicLink'
        (Get-FileHash -LiteralPath $real).Hash | Should -Be (Get-FileHash -LiteralPath $Expected).Hash
        Assert-OnlyFiles $dir 'link.json', 'real.json'
    }

    It 'a dangling link: FileExists without -Force; with -Force the file it names is created' {
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $real
        $e = { $Detections | Export-Submission $link -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        "$e" | Should -BeLike "*'$link' is a link to '$real', which does not exist*"
        Test-Path -LiteralPath $real | Should -BeFalse
        $Detections | Export-Submission $link -Force
        (Get-Item -LiteralPath $link).LinkType | Should -Be 'SymbolicLink'
        (Get-FileHash -LiteralPath $real).Hash | Should -Be (Get-FileHash -LiteralPath $Expected).Hash
    }

    It 'a replaced file keeps its permissions (<Mode>)' -ForEach @(@{ Mode = '600'; Shown = '-rw-------' }, @{ Mode = '640'; Shown = '-rw-r-----' }) {
        Set-Content -LiteralPath $real 'earlier'
        & chmod $Mode $real
        $Detections | Export-Submission $real -Force
        (Get-Item -LiteralPath $real).UnixMode | Should -Be $Shown
        (Get-FileHash -LiteralPath $real).Hash | Should -Be (Get-FileHash -LiteralPath $Expected).Hash
    }

    It 'a file with several hard links: a warning says the other names keep the earlier content' {
        Set-Content -LiteralPath $real 'earlier'
        $other = Join-Path $dir 'other-name.json'
        $null = New-Item -ItemType HardLink -Path $other -Target $real
        $Detections | Export-Submission $real -Force -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be "'$real' has 2 hard links: the new file replaces only this name; the other name keeps the earlier content."
        Get-Content -LiteralPath $other | Should -Be 'earlier'
        (Get-FileHash -LiteralPath $real).Hash | Should -Be (Get-FileHash -LiteralPath $Expected).Hash
    }
}

Describe 'Only a regular file is ever replaced' -Skip:$IsWindows {
    BeforeEach { $dir = New-TestFolder }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'a folder, even with -Force: TargetNotARegularFile, and the folder is kept' {
        $folder = Join-Path $dir 'sub.json'
        $null = New-Item -ItemType Directory $folder
        { $Detections | Export-Submission $folder -Force -ErrorAction Stop } | Should -Throw -ErrorId 'TargetNotARegularFile,BoxFusion.Commands.ExportSubmissionCommand'
        Test-Path -LiteralPath $folder -PathType Container | Should -BeTrue
    }

    It '/dev/null: TargetNotARegularFile' {
        $e = { $Detections | Export-Submission /dev/null -ErrorAction Stop } | Should -Throw -ErrorId 'TargetNotARegularFile,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -Be '/dev/null'
        "$e" | Should -BeLike "'/dev/null' is a character device, not a regular file; it is never replaced, even with -Force*"
        (Get-Item /dev/null).UnixStat.ItemType | Should -Be 'CharacterDevice'
    }

    It 'a <Kind> with -Force: TargetNotARegularFile, and it stays a <Kind>' -ForEach @(
        @{ Kind = 'NamedPipe'; Make = { param($p) & mkfifo $p } }
        @{ Kind = 'CharacterDevice'; Make = { param($p) & mknod $p c 1 3 2>$null } } # a copy of /dev/null (needs root)
        # (a socket file lasts as long as its socket is open)
        @{ Kind = 'Socket'; Make = { param($p) $s = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified'); $s.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($p)); $s } }) {
        $target = Join-Path $dir 'target.json'
        $keep = & $Make $target
        try {
            if (-not (Test-Path -LiteralPath $target)) { Set-ItResult -Skipped -Because "a $Kind cannot be made here"; return }
            { $Detections | Export-Submission $target -Force -ErrorAction Stop } | Should -Throw -ErrorId 'TargetNotARegularFile,BoxFusion.Commands.ExportSubmissionCommand'
            (Get-Item -LiteralPath $target).UnixStat.ItemType | Should -Be $Kind
            Assert-OnlyFiles $dir 'target.json'
        }
        finally { if ($keep -is [IDisposable]) { $keep.Dispose() } }
    }

    It 'a link to a device with -Force: TargetNotARegularFile, naming both' {
        $link = Join-Path $dir 'link.json'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target /dev/null
        $e = { $Detections | Export-Submission $link -Force -ErrorAction Stop } | Should -Throw -ErrorId 'TargetNotARegularFile,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        "$e" | Should -BeLike "'$link' (a link to '/dev/null') is a character device*"
        (Get-Item /dev/null).UnixStat.ItemType | Should -Be 'CharacterDevice'
    }
}

Describe 'Write errors' {
    BeforeEach {
        $dir = New-TestFolder
        $target = Join-Path $dir 'submission.json'
    }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'a file-size limit (as a full disk): FileWriteFailed, the earlier file untouched, no temporary file left (<Name>)' -Skip:(-not $IsLinux) -ForEach @(
        @{ Name = 'json'; File = 'submission.json' }, @{ Name = 'zip'; File = 'submission.zip' }) {
        $path = Join-Path $dir $File
        Set-Content -LiteralPath $path 'earlier'
        # 16 KB: far less than the ~70 KB JSON (or ~30 KB zip) of these detections.
        $results = Invoke-IsolatedCase -FileSizeLimitKB 16 -Data @{ Source = (Join-Path $DataRoot 'case-b'); Target = $path } -Cases @(
            @{ Name = 'write'; Script = 'Import-Detection -Path (Join-Path $args[0].Source "model*.json") | Export-Submission $args[0].Target -Force -WarningAction SilentlyContinue' })
        $r = $results[0]
        $r.Hung | Should -BeFalse
        @($r.ErrorIds) | Should -Be 'FileWriteFailed,BoxFusion.Commands.ExportSubmissionCommand'
        $r.Messages[0] | Should -BeLike "Cannot write '$path': *"
        Get-Content -LiteralPath $path | Should -Be 'earlier'
        Assert-OnlyFiles $dir $File
    }

    It 'the folder removed while writing: FileWriteFailed' {
        $sub = Join-Path $dir 'sub'
        $null = New-Item -ItemType Directory $sub
        $d = $Detections
        $e = { & { $d | Select-Object -First 10; Remove-Item -LiteralPath $sub -Recurse -Force; $d | Select-Object -Skip 10 } |
                Export-Submission (Join-Path $sub 'x.json') -ErrorAction Stop } | Should -Throw -ErrorId 'FileWriteFailed,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'WriteError'
        Test-Path -LiteralPath $sub | Should -BeFalse
    }
}

Describe 'Target names' {
    BeforeEach { $dir = New-TestFolder }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'a valid name of <Bytes> bytes (<Kind>) is written: the temporary name stays within the limit' -ForEach @(
        @{ Kind = 'ASCII, json'; Name = ('a' * 245) + '.json'; Bytes = 250 }
        @{ Kind = 'ASCII, zip'; Name = ('b' * 251) + '.zip'; Bytes = 255 }
        @{ Kind = 'two-byte letters'; Name = ([string][char]0xE9 * 125) + '.json'; Bytes = 255 }
        @{ Kind = 'four-byte letters'; Name = ([char]::ConvertFromUtf32(0x1F600) * 62) + '.json'; Bytes = 253 }) {
        [System.Text.Encoding]::UTF8.GetByteCount($Name) | Should -Be $Bytes
        $target = Join-Path $dir $Name
        $Detections | Export-Submission -LiteralPath $target
        Assert-OnlyFiles $dir $Name
        (Get-Item -LiteralPath $target).Length | Should -BeGreaterThan 1000
    }

    It 'wildcards in -Path: PathHasWildcards, nothing written' {
        $pattern = Join-Path $dir '*.json'
        $e = { $Detections | Export-Submission $pattern -ErrorAction Stop } | Should -Throw -ErrorId 'PathHasWildcards,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$e" | Should -BeLike "*'$pattern' has wildcard characters*-LiteralPath*"
        Assert-OnlyFiles $dir @()
    }

    It '-LiteralPath writes a name with wildcard characters; -Path does with them escaped' {
        $Detections | Export-Submission -LiteralPath (Join-Path $dir 'run[1].json')
        $Detections | Export-Submission -Path (Join-Path $dir 'run`[2`].json')
        Assert-OnlyFiles $dir 'run[1].json', 'run[2].json'
    }

    It '<Path>: NotAFileSystemPath' -ForEach @(@{ Path = 'variable:x' }, @{ Path = 'env:BOXFUSION_X' }) {
        $e = { $Detections | Export-Submission $Path -ErrorAction Stop } | Should -Throw -ErrorId 'NotAFileSystemPath,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        "$e" | Should -Be "'$Path' is not a file-system path; give a file's path."
        Test-Path variable:x | Should -BeFalse
        Test-Path env:BOXFUSION_X | Should -BeFalse
    }
}

Describe 'Zip entry names' {
    BeforeEach { $dir = New-TestFolder }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force }

    It '-EntryName <EntryName>: InvalidEntryName, nothing written' -ForEach @(
        @{ EntryName = '../evil.json' }, @{ EntryName = 'sub/results.json' }, @{ EntryName = '/etc/results.json' },
        @{ EntryName = 'C:\results.json' }, @{ EntryName = 'sub\results.json' }, @{ EntryName = '..' }) {
        $e = { $Detections | Export-Submission (Join-Path $dir 'sub.zip') -EntryName $EntryName -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidEntryName,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$e" | Should -BeLike "-EntryName '$([WildcardPattern]::Escape($EntryName))' is not a plain file name*"
        Assert-OnlyFiles $dir @()
    }

    It 'a plain -EntryName is the one entry of the zip' {
        $zip = Join-Path $dir 'sub.zip'
        $Detections | Export-Submission $zip -EntryName 'detections_test-dev2017_x_results.json'
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try { $archive.Entries.FullName | Should -Be 'detections_test-dev2017_x_results.json' } finally { $archive.Dispose() }
    }

    It '-EntryName on a .json target: a warning that it does not apply' {
        $target = Join-Path $dir 'sub.json'
        $Detections | Export-Submission $target -EntryName 'x.json' -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "-EntryName applies only to a zip*'$target' is written as plain JSON*"
        (Get-FileHash -LiteralPath $target).Hash | Should -Be (Get-FileHash -LiteralPath $Expected).Hash
    }
}
