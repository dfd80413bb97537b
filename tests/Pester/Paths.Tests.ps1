# What the readers do with paths that are not regular files: a named pipe, socket or device is refused before
# it is opened (opening a pipe waits for a writer, and Ctrl+C could not stop it); a folder or a non-file-system
# path is named as such. The pipe cases run in a child pwsh with a time limit per case (ChildProcess.ps1), so a
# regression fails them instead of hanging the run.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ChildProcess.ps1')
    Import-ModuleUnderTest
    $script:Folder = New-TestFolder
    $script:Good = Join-Path $Folder 'good.json'
    Copy-Item (Join-Path $DataRoot 'case-a/model1.json') $Good
    $script:Gt = Join-Path $Folder 'gt.json'
    Copy-Item (Join-Path $DataRoot 'case-a/gt.json') $Gt
}

AfterAll { Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'A named pipe, socket or device is refused before it is opened' -Skip:$IsWindows {
    BeforeAll {
        $pipes = Join-Path $Folder 'pipes'
        $null = New-Item -ItemType Directory $pipes
        $fifo = Join-Path $pipes 'fifo.json'
        & mkfifo $fifo
        $LASTEXITCODE | Should -Be 0
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $pipes 'link-to-fifo.json') -Target $fifo
        Copy-Item $Good (Join-Path $pipes 'good.json')
        $socketPath = Join-Path $pipes 'socket.json'
        $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        $socket.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($socketPath))
        $data = @{ Folder = $pipes; Fifo = $fifo; Good = (Join-Path $pipes 'good.json'); Gt = $Gt; Socket = $socketPath }

        # Each case returns what it read (a count), so a refused pipe must not stop the good files.
        $cases = @(
            @{ Name = 'Import-Detection -Path'; Script = 'Import-Detection -Path $args[0].Fifo' }
            @{ Name = 'Import-Detection -LiteralPath'; Script = 'Import-Detection -LiteralPath $args[0].Fifo' }
            @{ Name = 'Import-Detection by pipeline (Get-Item)'; Script = 'Get-Item -LiteralPath $args[0].Fifo | Import-Detection' }
            @{ Name = 'Import-Detection, a link to a pipe'; Script = 'Import-Detection -LiteralPath (Join-Path $args[0].Folder "link-to-fifo.json")' }
            @{ Name = 'Import-Detection, a wildcard matching a pipe and a good file'; Script = '@(Import-Detection -Path (Join-Path $args[0].Folder "*.json")).Count' }
            @{ Name = 'Import-Detection, a socket'; Script = 'Import-Detection -LiteralPath $args[0].Socket' }
            @{ Name = 'Import-Detection, /dev/null'; Script = 'Import-Detection -LiteralPath /dev/null' }
            @{ Name = 'Merge-Detection -Path'; Script = 'Merge-Detection -Path $args[0].Fifo' }
            @{ Name = 'Merge-Detection -LiteralPath'; Script = 'Merge-Detection -LiteralPath $args[0].Fifo' }
            @{ Name = 'Merge-Detection -ImageInfo'; Script = 'Merge-Detection -LiteralPath $args[0].Good -ImageInfo $args[0].Fifo' }
            @{ Name = 'Merge-Detection -ImageInfo (a FileInfo)'; Script = 'Merge-Detection -LiteralPath $args[0].Good -ImageInfo (Get-Item -LiteralPath $args[0].Fifo)' }
            @{ Name = 'Import-Detection -Format Yolo -ImageInfo'; Script = 'Import-Detection -Format Yolo -LiteralPath $args[0].Good -ImageInfo $args[0].Fifo' }
            @{ Name = 'Measure-Detection -GroundTruth'; Script = 'Measure-Detection -LiteralPath $args[0].Good -GroundTruth $args[0].Fifo' }
            @{ Name = 'Measure-Detection -GroundTruth /dev/null'; Script = 'Measure-Detection -LiteralPath $args[0].Good -GroundTruth /dev/null' }
            @{ Name = 'Measure-Detection -Path'; Script = 'Measure-Detection -Path $args[0].Fifo -GroundTruth $args[0].Gt' }
            @{ Name = 'Optimize-Fusion -GroundTruth'; Script = 'Optimize-Fusion -LiteralPath $args[0].Good -GroundTruth $args[0].Fifo -MaxTrials 1' }
            @{ Name = 'Optimize-Fusion -ImageInfo'; Script = 'Optimize-Fusion -LiteralPath $args[0].Good -GroundTruth $args[0].Gt -ImageInfo $args[0].Fifo -MaxTrials 1' }
        )
        $script:Results = @{}
        foreach ($r in Invoke-IsolatedCase -Cases $cases -Data $data -CaseTimeoutSeconds 15) { $script:Results[$r.Name] = $r }
        $socket.Dispose()
    }

    It '<_>: NotARegularFile, never a hang' -ForEach @(
        'Import-Detection -Path', 'Import-Detection -LiteralPath', 'Import-Detection by pipeline (Get-Item)', 'Import-Detection, a link to a pipe',
        'Import-Detection, a socket', 'Import-Detection, /dev/null', 'Merge-Detection -Path', 'Merge-Detection -LiteralPath', 'Merge-Detection -ImageInfo',
        'Merge-Detection -ImageInfo (a FileInfo)', 'Import-Detection -Format Yolo -ImageInfo', 'Measure-Detection -GroundTruth',
        'Measure-Detection -GroundTruth /dev/null', 'Measure-Detection -Path', 'Optimize-Fusion -GroundTruth', 'Optimize-Fusion -ImageInfo') {
        $r = $script:Results[$_]
        $r.Hung | Should -BeFalse -Because 'opening a pipe waits for a writer'
        @($r.ErrorIds) | Should -HaveCount 1 -Because ($r.Messages -join "`n")
        $r.ErrorIds[0] | Should -BeLike 'NotARegularFile,BoxFusion.Commands.*'
        $r.Messages[0] | Should -Match "is (a named pipe \(FIFO\)|a socket|a character device), not a regular file"
    }

    It 'a wildcard that matches pipes and a socket reads the other files and reports each of those' {
        $r = $script:Results['Import-Detection, a wildcard matching a pipe and a good file']
        $r.Hung | Should -BeFalse
        $r.ErrorIds | Should -Be (@('NotARegularFile,BoxFusion.Commands.ImportDetectionCommand') * 3)
        $messages = @($r.Messages | Sort-Object)
        $messages[0] | Should -BeLike "'*/fifo.json' is a named pipe*"
        $messages[1] | Should -BeLike "'*/link-to-fifo.json' is a named pipe*"
        $messages[2] | Should -BeLike "'*/socket.json' is a socket*"
        $r.Output | Should -Be "$(@(Import-Detection $Good).Count)"
    }
}

Describe 'Folders and paths that are not on the file system' {
    It '-LiteralPath <folder>: PathIsNotAFile, for <Command>' -ForEach @(
        @{ Command = 'Import-Detection' }, @{ Command = 'Merge-Detection' }) {
        $null = & $Command -LiteralPath $Folder -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathIsNotAFile,BoxFusion.Commands.*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($errs[0])" | Should -Be "'$Folder' is a folder, not a file."
    }

    It '<Parameter> <folder>: PathIsNotAFile' -ForEach @(
        @{ Parameter = '-GroundTruth'; Run = { Measure-Detection -LiteralPath $Good -GroundTruth $Folder -ErrorAction Stop } }
        @{ Parameter = '-ImageInfo'; Run = { Merge-Detection -LiteralPath $Good -ImageInfo $Folder -ErrorAction Stop } }
        @{ Parameter = '-ImageInfo (Yolo)'; Run = { Import-Detection -Format Yolo -LiteralPath $Good -ImageInfo $Folder -ErrorAction Stop } }) {
        $e = $Run | Should -Throw -ErrorId 'PathIsNotAFile,BoxFusion.Commands.*' -PassThru
        $e.TargetObject | Should -Be $Folder
        "$e" | Should -BeLike "*'$Folder' is a folder*"
    }

    It '<Path> as <Parameter>: NotAFileSystemPath' -ForEach @(
        @{ Path = 'env:PATH'; Parameter = '-GroundTruth' }, @{ Path = 'variable:HOME'; Parameter = '-GroundTruth' },
        @{ Path = 'env:PATH'; Parameter = '-ImageInfo' }, @{ Path = 'env:PATH'; Parameter = '-LiteralPath' }) {
        $run = switch ($Parameter) {
            '-GroundTruth' { { Measure-Detection -LiteralPath $Good -GroundTruth $Path -ErrorAction Stop } }
            '-ImageInfo' { { Merge-Detection -LiteralPath $Good -ImageInfo $Path -ErrorAction Stop } }
            '-LiteralPath' { { Import-Detection -LiteralPath $Path -ErrorAction Stop } }
        }
        $e = $run | Should -Throw -ErrorId 'NotAFileSystemPath,BoxFusion.Commands.*' -PassThru
        "$e" | Should -BeLike "'$Path' is not a file-system path*"
    }

    It 'a link to a good file is read through' -Skip:$IsWindows {
        $link = Join-Path $Folder 'link.json'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $Good
        @(Import-Detection -LiteralPath $link).Count | Should -Be @(Import-Detection -LiteralPath $Good).Count
        (Measure-Detection -LiteralPath $Good -GroundTruth (New-Item -ItemType SymbolicLink -Path (Join-Path $Folder 'gt-link.json') -Target $Gt)).AP |
            Should -Be (Measure-Detection -LiteralPath $Good -GroundTruth $Gt).AP
    }
}
