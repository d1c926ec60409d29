from onelibrary.cli import main

main()
